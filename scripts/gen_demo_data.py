#!/usr/bin/env python3
"""Writes demo/postings.jsonl and demo/seekers.jsonl: invented SME postings and young seekers.

Everything here is written for jobmatch: the companies, people and texts are fictional. The output
is deterministic (fixed seed) and committed; rerun after editing the templates:

    python3 scripts/gen_demo_data.py
"""
import json
import random
from pathlib import Path

random.seed(20261127)
ROOT = Path(__file__).resolve().parent.parent

# occupation key -> (posting titles, skills, posting description, seeker headline, seeker resume, sector)
OCCUPATIONS = {
    "welder": (
        ["용접 생산직 사원 모집", "CO2·TIG 용접사 채용", "조선 블록 용접 기능직"],
        ["용접기능사", "CO2 용접", "TIG 용접", "도면 해독"],
        "철 구조물과 배관 부품을 용접합니다. 용접기능사 자격증 소지자 우대, 기숙사 제공, 초보자도 선배 기능장이 현장에서 지도합니다.",
        "특성화고 용접과 졸업, 용접기능사 취득",
        "고등학교에서 특수용접을 전공했고 용접기능사를 취득했습니다. 현장실습으로 배관 용접과 CO2 용접을 6개월 했습니다. 성실하게 기술을 익혀 용접 기능장이 되고 싶습니다.",
        "manufacturing",
    ),
    "cnc": (
        ["CNC 선반·MCT 가공 오퍼레이터", "정밀가공 CNC 생산직", "자동차 부품 CNC 가공원"],
        ["CNC 선반", "MCT", "컴퓨터응용선반기능사", "측정기 사용"],
        "자동차 부품을 CNC 선반과 머시닝센터로 가공합니다. 프로그램 수정과 공구 세팅을 배울 수 있으며 컴퓨터응용선반기능사 보유자 우대합니다. 주야 2교대.",
        "기계과 졸업, CNC 선반 실습 경험",
        "마이스터고 기계과를 졸업했습니다. 컴퓨터응용선반기능사 자격이 있고 학교에서 CNC 선반과 MCT로 부품을 가공해 보았습니다. 버니어캘리퍼스와 마이크로미터 측정에 익숙합니다.",
        "manufacturing",
    ),
    "accountant": (
        ["회계·경리 사무원 채용", "중소기업 재무회계 담당자", "경리 사무 신입 모집"],
        ["전산회계 1급", "더존", "세무 신고", "엑셀"],
        "거래처 전표 입력, 부가세 신고 자료 준비, 급여 계산 등 회계 업무 전반을 담당합니다. 전산회계 자격증과 더존 프로그램 사용 경험자 우대.",
        "전문대 세무회계과 졸업, 전산회계 1급",
        "전문대학에서 세무회계를 전공하고 전산회계 1급과 전산세무 2급을 취득했습니다. 더존 프로그램으로 전표 입력과 결산 실습을 했고 엑셀 함수를 잘 다룹니다.",
        "services",
    ),
    "nursing": (
        ["요양병원 간호조무사 모집", "간호조무사 정규직 채용", "재활병원 간호보조 인력"],
        ["간호조무사", "요양보호", "환자 이송", "활력징후 측정"],
        "병동에서 환자 활력징후 측정, 투약 보조, 위생 관리를 합니다. 간호조무사 자격증 필수, 3교대 근무, 신규 교육 프로그램 운영.",
        "간호조무사 자격 취득, 병원 실습 780시간",
        "보건계열 특성화고를 졸업하고 간호조무사 자격을 취득했습니다. 요양병원에서 780시간 실습하며 혈압과 체온 측정, 환자 식사 보조와 이송을 했습니다.",
        "healthcare",
    ),
    "qa": (
        ["소프트웨어 QA 테스터 신입", "모바일 앱 품질보증 엔지니어", "SW 테스트 자동화 주니어"],
        ["소프트웨어 테스트", "테스트 케이스 작성", "Jira", "Python"],
        "웹과 모바일 서비스의 기능 테스트와 회귀 테스트를 수행하고 결함을 Jira로 관리합니다. 테스트 자동화에 관심 있는 분 환영, Python 기초 우대.",
        "소프트웨어 테스트와 QA 직무 희망, Python 기초",
        "직업전문학교에서 소프트웨어 테스트 과정을 수료했습니다. 테스트 케이스를 작성하고 Jira로 결함을 보고하는 프로젝트를 했으며 Python으로 간단한 자동화 스크립트를 만들었습니다.",
        "it",
    ),
    "electrician": (
        ["전기 설비 유지보수 기사", "공장 전기보전 신입 사원", "전기기능사 채용"],
        ["전기기능사", "PLC", "배전반", "시퀀스 제어"],
        "공장 배전반과 생산설비의 전기 보전, PLC 시퀀스 점검을 담당합니다. 전기기능사 자격 필수, 전기산업기사 취득 지원.",
        "전기과 졸업, 전기기능사와 PLC 실습",
        "전기과를 졸업하고 전기기능사를 취득했습니다. 시퀀스 제어와 PLC 프로그래밍 실습을 했고 배전반 결선 작업을 할 수 있습니다.",
        "manufacturing",
    ),
    "injection": (
        ["사출 성형 생산직 모집", "플라스틱 사출기 오퍼레이터", "사출 금형 세팅 보조"],
        ["사출 성형", "금형 교체", "품질 검사", "지게차"],
        "플라스틱 사출기를 운전하고 금형 교체와 제품 외관 검사를 합니다. 지게차 면허 보유자 우대, 통근버스 운행.",
        "사출 성형 생산직 희망, 지게차 운전기능사",
        "고등학교 졸업 후 사출 공장에서 1년간 일하며 사출기 운전과 금형 교체 보조를 했습니다. 지게차운전기능사를 취득했고 품질 검사 기준서를 지켜 일합니다.",
        "manufacturing",
    ),
    "semiconductor": (
        ["반도체 장비 유지보수 엔지니어", "반도체 설비 셋업 기술직", "반도체 공정 오퍼레이터"],
        ["반도체 장비", "설비 보전", "진공 펌프", "클린룸"],
        "반도체 제조 장비의 예방 정비와 셋업을 합니다. 클린룸 근무, 전기·기계 기초 지식 필요, 입사 후 장비 교육 3개월.",
        "반도체 장비 과정 수료, 클린룸 실습",
        "전문대학 반도체장비과를 졸업했습니다. 클린룸에서 진공 펌프와 식각 장비 보전 실습을 했고 설비 점검 일지를 작성해 보았습니다.",
        "manufacturing",
    ),
    "baker": (
        ["제과제빵 생산 직원 채용", "베이커리 제빵사 모집", "식품 공장 제과 생산직"],
        ["제빵기능사", "제과기능사", "위생 관리", "HACCP"],
        "빵과 과자를 반죽하고 굽는 생산 업무입니다. 제빵기능사 소지자 우대, HACCP 위생 기준 준수, 새벽 근무 수당.",
        "제과제빵 전공, 제빵기능사와 제과기능사",
        "조리과학고에서 제과제빵을 배웠고 제빵기능사와 제과기능사를 모두 취득했습니다. HACCP 위생 교육을 이수했고 베이커리에서 아르바이트를 했습니다.",
        "food",
    ),
    "logistics": (
        ["물류센터 입출고 관리원", "창고 재고관리 사원 모집", "물류 지게차 운전원"],
        ["지게차", "재고 관리", "WMS", "입출고"],
        "물류센터에서 입고 검수, 재고 관리, 출고 상차를 담당합니다. WMS 사용, 지게차 면허 우대, 주간 근무.",
        "물류 관리 희망, 지게차 면허와 재고 관리 경험",
        "군 복무 중 보급 부대에서 물자 입출고와 재고 관리를 맡았습니다. 지게차운전기능사가 있고 전역 후 물류센터에서 일하고 싶습니다.",
        "logistics",
    ),
    "cad": (
        ["기계 설계 CAD 보조 설계원", "AutoCAD 도면 작성 신입", "3D 모델링 설계 사원"],
        ["AutoCAD", "SolidWorks", "기계 설계", "전산응용기계제도기능사"],
        "생산 설비의 2D 도면과 3D 모델을 작성합니다. AutoCAD와 SolidWorks 사용 가능자, 전산응용기계제도기능사 우대.",
        "기계 설계 지망, AutoCAD·SolidWorks 능숙",
        "기계설계과를 졸업하고 전산응용기계제도기능사를 취득했습니다. AutoCAD로 부품 도면을 그리고 SolidWorks로 조립품을 모델링한 포트폴리오가 있습니다.",
        "manufacturing",
    ),
    "web": (
        ["웹 개발 주니어 채용", "프론트엔드 개발자 신입", "사내 시스템 웹 개발자"],
        ["JavaScript", "React", "HTML/CSS", "SQL"],
        "사내 업무 시스템의 웹 화면을 React로 개발합니다. JavaScript와 SQL 기초가 있는 신입 환영, 선배 개발자와 코드 리뷰.",
        "웹 개발 부트캠프 수료, React 프로젝트",
        "직업훈련 과정에서 JavaScript와 React를 배우고 팀 프로젝트로 예약 웹사이트를 만들었습니다. SQL로 데이터베이스를 설계해 보았습니다.",
        "it",
    ),
}

ENGLISH = {
    "welder": ("Welder for steel structures", "Welding technician (TIG and CO2) with a craftsman certificate; on-the-job training and a dormitory.",
               "Welding graduate looking for a job", "I studied welding at a vocational high school and hold a welding craftsman certificate. I did CO2 and TIG welding during my internship."),
    "qa": ("Junior software QA tester", "Test web and mobile apps, write test cases and file defects in Jira; Python basics are a plus.",
           "Junior QA tester with Python basics", "I finished a software testing course, wrote test cases and automated simple checks with Python."),
    "web": ("Junior web developer (React)", "Build internal web tools with React and SQL alongside senior developers.",
            "Junior React developer", "I built a booking website with React and a SQL database in a team project."),
}

REGIONS = [
    "경기도 화성시", "경기도 평택시", "경기도 안산시 단원구", "경기도 시흥시", "경상남도 창원시 성산구", "경상남도 김해시",
    "경상북도 구미시", "울산광역시 남구", "충청남도 천안시 서북구", "충청남도 아산시", "충청북도 청주시 흥덕구",
    "광주광역시 광산구", "인천광역시 남동구", "부산광역시 강서구", "대구광역시 달서구", "경상북도 포항시 남구",
    "전라북도 전주시 덕진구", "전라북도 군산시", "전라남도 여수시", "서울특별시 구로구", "서울특별시 금천구",
    "대전광역시 유성구", "강원특별자치도 원주시", "제주특별자치도 제주시",
]
EXTRAS = ["주간 근무를 선호합니다.", "기숙사가 있는 회사면 좋겠습니다.", "운전면허 2종 보통이 있습니다.", "성실함과 책임감이 장점입니다.",
          "집에서 가까운 회사를 찾고 있습니다.", "교대 근무도 가능합니다.", "선배에게 배우며 오래 일하고 싶습니다.", "컴퓨터 활용능력 2급이 있습니다."]
COMPANY_WORDS = ["대성", "한빛", "미래", "동양", "세진", "우리", "태광", "신일", "금강", "한울", "성우", "새한"]
COMPANY_KINDS = {"manufacturing": "정밀", "services": "세무법인", "healthcare": "요양병원", "it": "소프트", "food": "식품", "logistics": "물류"}
GIVEN = ["민준", "서연", "도윤", "하은", "시우", "지유", "주원", "서아", "예준", "하린", "건우", "수아", "현우", "지안", "우진", "채원"]
TRACKS = ["EDUCATION_TRACK_SPECIALISED_HIGH_SCHOOL", "EDUCATION_TRACK_JUNIOR_COLLEGE", "EDUCATION_TRACK_VOCATIONAL_SCHOOL",
          "EDUCATION_TRACK_UNIVERSITY", "EDUCATION_TRACK_MILITARY_SERVICE"]
EMPLOYMENT = ["EMPLOYMENT_TYPE_FULL_TIME"] * 4 + ["EMPLOYMENT_TYPE_CONTRACT", "EMPLOYMENT_TYPE_INTERNSHIP"]


def postings():
    out = []
    keys = list(OCCUPATIONS)
    for i in range(48):
        key = keys[i % len(keys)]
        titles, skills, desc, _, _, sector = OCCUPATIONS[key]
        region = REGIONS[(i * 7) % len(REGIONS)]
        company = f"{random.choice(COMPANY_WORDS)}{COMPANY_KINDS[sector]}"
        title, description = random.choice(titles), desc
        if key in ENGLISH and i % 4 == 0:
            title, description = ENGLISH[key][0], ENGLISH[key][1]
        out.append({
            "id": f"p{i + 1:03d}",
            "companyId": f"c{(i * 5) % 37 + 1:03d}",
            "companyName": f"(주){company}",
            "title": title,
            "description": f"{description} 근무지: {region}.",
            "skills": random.sample(skills, k=3),
            "location": {"region": region},
            "openings": random.choice([1, 1, 2, 3, 5]),
            "sector": sector,
            "employmentType": random.choice(EMPLOYMENT),
            "certifiedCompany": random.random() < 0.4,
        })
    return out


def seekers():
    out = []
    keys = list(OCCUPATIONS)
    for i in range(160):
        key = keys[(i * 5) % len(keys)]
        _, skills, _, headline, resume, _ = OCCUPATIONS[key]
        region = random.choice(REGIONS)
        home = {"region": region}
        if i % 9 == 0:  # some give coordinates instead of a region
            home = {"coordinates": {"lat": round(37.2 + random.uniform(-0.3, 0.3), 5), "lon": round(127.0 + random.uniform(-0.3, 0.3), 5)}}
        if key in ENGLISH and i % 6 == 0:
            headline, resume = ENGLISH[key][2], ENGLISH[key][3]
        track = TRACKS[i % len(TRACKS)]
        if key == "logistics":
            track = "EDUCATION_TRACK_MILITARY_SERVICE"
        out.append({
            "id": f"s{i + 1:03d}",
            "displayName": f"{random.choice(GIVEN)} {chr(65 + i % 26)}.",
            "headline": headline,
            "resume": resume if resume.isascii() else f"{resume} {' '.join(random.sample(EXTRAS, k=2))}",
            "skills": random.sample(skills, k=2),
            "home": home,
            "maxCommuteKm": random.choice([10, 20, 30, 50]),
            "educationTrack": track,
            "birthYear": random.randint(1995, 2007),
            "availableFrom": f"2027-0{random.randint(1, 6)}-01",
        })
    return out


def write(name, rows):
    path = ROOT / "demo" / name
    with path.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} rows to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    write("postings.jsonl", postings())
    write("seekers.jsonl", seekers())
