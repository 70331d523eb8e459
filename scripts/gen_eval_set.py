#!/usr/bin/env python3
"""Writes samples/eval/{postings,seekers}.jsonl and qrels.tsv: a small labelled set for `jobmatch eval`.

Written for jobmatch: companies, people and texts are fictional (the occupation texts come from
scripts/gen_demo_data.py, plus resume variants written here). The labels follow one rule a
counsellor would apply, stated in samples/eval/README.md:

    same occupation, within the seeker's commute  -> 3
    same occupation, within twice the commute     -> 2
    same occupation, farther                      -> 1
    related occupation, within the commute        -> 1
    anything else                                 -> 0 (not listed)

Deterministic (fixed seed); rerun after editing:  python3 scripts/gen_eval_set.py
"""
import csv
import json
import math
import random
from pathlib import Path

from gen_demo_data import OCCUPATIONS, REGIONS, COMPANY_WORDS, COMPANY_KINDS, GIVEN, TRACKS, EMPLOYMENT, EXTRAS

random.seed(20261128)
ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "samples" / "eval"

GROUPS = [
    {"welder", "cnc", "cad"},
    {"electrician", "semiconductor"},
    {"injection", "logistics"},
    {"qa", "web"},
    {"accountant"},
    {"nursing"},
    {"baker"},
]

# Second and third ways seekers describe themselves: shorter, particles attached to certificate names.
VARIANTS = {
    "welder": ["용접기능사를 취득했고 배관 용접 현장실습을 마쳤습니다.", "TIG 용접과 CO2 용접을 할 줄 압니다. 도면을 보고 작업할 수 있습니다."],
    "cnc": ["컴퓨터응용선반기능사를 땄고 MCT 가공 실습을 했습니다.", "CNC 선반으로 부품을 깎아 본 경험이 있고 측정에 자신 있습니다."],
    "accountant": ["전산회계 1급을 취득했으며 더존으로 전표를 입력해 보았습니다.", "세무회계를 공부했고 엑셀과 부가세 신고 자료 정리를 잘합니다."],
    "nursing": ["간호조무사 자격증이 있으며 요양병원 실습을 했습니다.", "환자 활력징후 측정과 이송 보조 경험이 있습니다."],
    "qa": ["테스트 케이스를 작성하고 Jira로 버그를 관리해 봤습니다.", "QA 직무를 희망하며 Python으로 테스트 자동화를 공부 중입니다."],
    "electrician": ["전기기능사를 취득했고 PLC 시퀀스 회로를 구성할 수 있습니다.", "배전반 결선과 전기 설비 점검 실습을 했습니다."],
    "injection": ["사출기를 다뤄 봤고 금형 교체를 도왔습니다.", "플라스틱 사출 공장 생산직 경험 1년, 지게차운전기능사 보유."],
    "semiconductor": ["반도체 장비 보전 과정을 수료했고 클린룸 근무가 가능합니다.", "진공 펌프와 설비 점검 실습 경험이 있습니다."],
    "baker": ["제빵기능사를 취득했고 새벽 근무도 괜찮습니다.", "HACCP 위생 교육을 받았고 베이커리에서 빵을 구워 봤습니다."],
    "logistics": ["지게차운전기능사가 있고 창고 재고 관리를 해 봤습니다.", "전역 예정이며 물류센터 입출고 업무를 하고 싶습니다."],
    "cad": ["AutoCAD로 도면을 그리고 SolidWorks로 모델링할 수 있습니다.", "전산응용기계제도기능사를 취득했습니다."],
    "web": ["React와 JavaScript로 웹사이트를 만들어 봤습니다.", "HTML/CSS와 SQL을 공부했고 프론트엔드 개발자가 되고 싶습니다."],
}


def centroids():
    points = {}
    with (ROOT / "assets" / "kr_regions.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            points[row["full_name_ko"]] = (float(row["lat"]), float(row["lon"]))
    return points


def km(a, b):
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def related(a, b):
    return a != b and any(a in g and b in g for g in GROUPS)


def main():
    points = centroids()
    regions = [r for r in REGIONS if r in points]
    keys = list(OCCUPATIONS)
    postings, meta_p = [], {}
    for i in range(96):
        key = keys[i % len(keys)]
        titles, skills, desc, _, _, sector = OCCUPATIONS[key]
        region = regions[(i * 5 + i // len(keys)) % len(regions)]
        pid = f"e-p{i + 1:03d}"
        postings.append({
            "id": pid,
            "companyId": f"ec{i % 41 + 1:03d}",
            "companyName": f"(주){random.choice(COMPANY_WORDS)}{COMPANY_KINDS[sector]}",
            "title": random.choice(titles),
            "description": f"{desc} 근무지: {region}.",
            "skills": random.sample(skills, k=3),
            "location": {"region": region},
            "openings": random.choice([1, 2, 3]),
            "sector": sector,
            "employmentType": random.choice(EMPLOYMENT),
            "certifiedCompany": random.random() < 0.4,
        })
        meta_p[pid] = (key, points[region])
    seekers, qrels = [], []
    for i in range(144):
        key = keys[(i * 7) % len(keys)]
        _, skills, _, headline, resume, _ = OCCUPATIONS[key]
        text = [resume, *VARIANTS[key]][i % 3]
        region = random.choice(regions)
        lat, lon = points[region]
        home = (round(lat + random.uniform(-0.05, 0.05), 5), round(lon + random.uniform(-0.05, 0.05), 5))
        commute = random.choice([15, 30, 50, 80])
        sid = f"e-s{i + 1:03d}"
        seekers.append({
            "id": sid,
            "displayName": f"{random.choice(GIVEN)} {chr(65 + i % 26)}.",
            "headline": headline if i % 3 == 0 else "",
            "resume": f"{text} {random.choice(EXTRAS)}",
            "skills": random.sample(skills, k=2) if i % 2 == 0 else [],
            "home": {"coordinates": {"lat": home[0], "lon": home[1]}},
            "maxCommuteKm": commute,
            "educationTrack": TRACKS[i % len(TRACKS)],
            "birthYear": random.randint(1995, 2007),
            "availableFrom": f"2027-0{random.randint(1, 6)}-01",
        })
        for pid, (pkey, ppoint) in meta_p.items():
            d = km(home, ppoint)
            if pkey == key:
                grade = 3 if d <= commute else 2 if d <= 2 * commute else 1
            elif related(key, pkey) and d <= commute:
                grade = 1
            else:
                continue
            qrels.append((sid, pid, grade))
    OUT.mkdir(parents=True, exist_ok=True)
    for name, rows in (("postings.jsonl", postings), ("seekers.jsonl", seekers)):
        with (OUT / name).open("w", encoding="utf-8") as f:
            for row in rows:
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
    with (OUT / "qrels.tsv").open("w", encoding="utf-8") as f:
        f.write("# seeker_id\tposting_id\tgrade (0-3); written by scripts/gen_eval_set.py\n")
        for row in qrels:
            f.write("\t".join(map(str, row)) + "\n")
    grades = [g for _, _, g in qrels]
    print(f"wrote {len(postings)} postings, {len(seekers)} seekers, {len(qrels)} labels "
          f"(grade 3: {grades.count(3)}, 2: {grades.count(2)}, 1: {grades.count(1)}) to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
