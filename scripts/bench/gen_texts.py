#!/usr/bin/env python3
"""Generates benchmark inputs: N job-posting texts of 60-200 words and M short queries (one per line).

Deterministic (fixed seed); Korean and English mixed like real postings.
    python3 scripts/bench/gen_texts.py OUT_DIR [N=2000] [M=200]
"""
import random
import sys
from pathlib import Path

KO = ("용접 CNC 선반 가공 사출 성형 금형 품질 검사 생산직 기숙사 제공 주야 2교대 근무 자격증 우대 신입 환영 "
      "회계 전표 입력 급여 계산 간호조무사 병동 환자 소프트웨어 테스트 자동화 물류센터 입고 출고 지게차 재고 관리 "
      "반도체 장비 유지보수 클린룸 전기기능사 배전반 설비 보전 도면 해독 측정기 사용 통근버스 운행 4대 보험 퇴직금 "
      "연차 성과급 경기도 화성시 창원시 구미시 울산 천안 아산 청주 광주 인천 부산 대구").split()
EN = ("welding machining quality inspection production line dormitory shift work certificate preferred junior "
      "accounting payroll nursing assistant software testing automation logistics forklift inventory maintenance "
      "semiconductor equipment cleanroom electrical panel drawings measurement commute bus insurance bonus").split()
QUERIES = ["용접기능사 신입", "CNC 선반 가공 경력", "전산회계 1급 경리", "간호조무사 요양병원", "소프트웨어 QA 테스터",
           "지게차 물류센터", "반도체 장비 엔지니어", "welder with TIG experience", "junior React developer", "제빵기능사 생산직"]


def posting(rng: random.Random) -> str:
    words = rng.randint(60, 200)
    vocab = KO if rng.random() < 0.8 else EN
    body = [rng.choice(vocab) for _ in range(words)]
    for i in range(10, words, rng.randint(8, 15)):
        body[i] += "."
    return " ".join(body)


def main():
    out = Path(sys.argv[1])
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    m = int(sys.argv[3]) if len(sys.argv) > 3 else 200
    rng = random.Random(7)
    out.mkdir(parents=True, exist_ok=True)
    (out / "texts.txt").write_text("\n".join(posting(rng) for _ in range(n)) + "\n", encoding="utf-8")
    (out / "queries.txt").write_text("\n".join(f"{rng.choice(QUERIES)} {rng.randint(1, 99)}" for _ in range(m)) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
