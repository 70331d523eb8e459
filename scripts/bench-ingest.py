#!/usr/bin/env python3
"""End-to-end ingest benchmark: UpsertSeekers through the gRPC API of a real `jobmatch serve`.

Not run in CI (it takes minutes: the model's speed on long Korean resumes sets the rate).

What it measures, against a server it starts itself (127.0.0.1, a free port, a fresh temporary
data directory, `--no-auth`, the given model):

  1. one client: N seekers (default 1,000) sent with UpsertSeekers in batches of B (default 64),
     one call after another; records/s over the whole, and each batch's latency;
  2. two concurrent clients (threads, each its own channel), each sending N other seekers (new
     ids); total records/s from the common start until both finish;
  3. during phase 1 only, two read probes, each sent every 200 ms (the next one as soon as the
     previous answer came when that took longer): `Embed` of a short query (`is_query`, the
     read RPC that embeds a query: it shows how long a query waits behind the bulk upsert in the
     inference queue) and `RecommendPostings` for a probe seeker stored before phase 1 (it does
     not embed: it searches with the seeker's stored vector; the postings collection is empty, so
     it answers with no postings). p50/p95 latency of each.

The seekers are invented and deterministic (--seed): Korean resumes of 80-300 words (whitespace-
separated) with some English terms, built from per-occupation and general sentence templates,
with valid seeker fields (regions from the gazetteer or coordinates, commute, education track,
birth year, availability, discharge date for those in military service). All records are built
before the clock starts. Resume texts are never printed or logged (errors show status codes and
field paths only). Phase 1 runs with the probes and phase 2 without: a query arriving during an
upsert makes the server embed in smaller calls (`--inference-chunk-tokens`) for a second, so the
two phases' records/s are not measured under the same conditions (see README "Prometheus metrics").

Prints progress, then one JSON line with all figures and the machine (nproc, CPU model, load
average before and after), then stops the server with SIGTERM and deletes the temporary directory.
Each phase also reports CPU seconds: the machine's busy time, the server's, this script's, and the
rest (`other_processes_s`): a build or another benchmark on the same cores slows the model, so a
run with a large `other_processes_s` is not comparable.

    python3 scripts/bench-ingest.py                   # re-execs under examples/python/setup.sh's venv
    "$(bash examples/python/setup.sh)" scripts/bench-ingest.py --records 1000 --batch 64 --json /tmp/ingest.json

Options: --binary PATH (default the cached debug build), --records N, --batch B, --model DIR
(default models/multilingual-e5-small), --json OUT (also write the JSON there), --seed S,
--keep (keep the temporary directory and the server log), --server-arg ARG (repeatable, passed to
`serve`).
"""
import argparse
import atexit
import json
import os
import platform
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GEN = ROOT / "examples/python/generated"
PROBE_INTERVAL_S = 0.2
CALL_TIMEOUT_S = 900.0


sys.path.insert(0, str(Path(__file__).resolve().parent))
from grpc_env import ensure_grpc, wait_serving  # noqa: E402

ensure_grpc(__file__)
import grpc  # noqa: E402
from jobmatch.v1 import jobmatch_pb2 as pb, jobmatch_pb2_grpc as pb_grpc  # noqa: E402

# ---------------------------------------------------------------------------------------------
# Invented seekers. Slots in braces are filled at random; every sentence is a few words, so a
# resume can be cut to a target length on a sentence boundary.

from gen_demo_data import REGIONS  # noqa: E402  (the demo's regions)
# (lat, lon) centres of industrial areas; homes given as coordinates lie within ~20 km of one.
CENTRES = [(37.20, 126.83), (36.99, 127.09), (35.23, 128.68), (36.12, 128.34), (35.54, 129.31),
           (36.78, 127.00), (37.45, 126.73), (35.14, 126.79)]
SURNAMES = ["김", "이", "박", "최", "정", "강", "조", "윤", "장", "임", "한", "오", "서", "신", "권", "황"]
GIVEN = ["민준", "서연", "도윤", "하은", "시우", "지유", "주원", "서아", "예준", "하린", "건우", "수아", "현우", "지안",
         "우진", "채원", "준서", "유나", "은호", "다은", "승민", "소율", "태윤", "예린"]
TRACKS = [pb.EDUCATION_TRACK_SPECIALISED_HIGH_SCHOOL, pb.EDUCATION_TRACK_JUNIOR_COLLEGE,
          pb.EDUCATION_TRACK_VOCATIONAL_SCHOOL, pb.EDUCATION_TRACK_UNIVERSITY, pb.EDUCATION_TRACK_MILITARY_SERVICE,
          pb.EDUCATION_TRACK_UNSPECIFIED]
SCHOOLS = ["한빛공업고등학교", "미래마이스터고", "대성전문대학", "세진직업전문학교", "동양폴리텍대학", "금강특성화고",
           "새한대학교", "한울기술교육원"]
COMPANIES = ["대성정밀", "한빛산업", "미래테크", "동양기계", "세진전자", "우리식품", "태광물류", "신일소프트", "금강화학", "성우오토"]

# occupation -> (headlines, skills, sentences)
OCCUPATIONS = {
    "welder": (
        ["특성화고 용접과 졸업, 용접기능사 취득", "CO2·TIG 용접 현장실습 경험", "Welding technician, 용접 생산직 희망"],
        ["용접기능사", "CO2 용접", "TIG 용접", "도면 해독", "특수용접기능사"],
        ["{school}에서 특수용접을 전공했고 용접기능사를 {year}년에 취득했습니다.",
         "현장실습으로 {company}에서 배관 용접과 CO2 용접을 {months}개월 동안 했습니다.",
         "TIG 용접으로 스테인리스 박판을 접합하는 작업을 반복해서 연습했습니다.",
         "도면을 보고 개선 각도와 용접 순서를 먼저 확인하는 습관이 있습니다.",
         "용접 후에는 비드 외관과 언더컷을 스스로 검사하고 기록했습니다.",
         "보호구 착용과 환기 같은 안전 수칙을 철저히 지킵니다.",
         "앞으로 용접 기능장 자격까지 도전하고 싶습니다.",
         "I practised MIG and TIG welding for {hours} hours in the school workshop."]),
    "cnc": (
        ["기계과 졸업, CNC 선반 실습 경험", "CNC·MCT 가공 오퍼레이터 지원", "정밀가공 생산직 희망, 컴퓨터응용선반기능사"],
        ["CNC 선반", "MCT", "컴퓨터응용선반기능사", "측정기 사용", "G-code"],
        ["{school} 기계과를 졸업하고 컴퓨터응용선반기능사를 취득했습니다.",
         "학교에서 CNC 선반과 MCT로 자동차 부품을 가공해 보았습니다.",
         "G-code 프로그램을 수정하고 공구 옵셋을 세팅하는 방법을 배웠습니다.",
         "버니어캘리퍼스와 마이크로미터 측정에 익숙하며 공차를 꼼꼼히 확인합니다.",
         "{company}에서 {months}개월 동안 주야 2교대로 가공 업무를 도왔습니다.",
         "CAM 소프트웨어로 간단한 가공 경로를 만들어 본 경험이 있습니다.",
         "불량이 나오면 원인을 찾아 작업 일지에 정리했습니다."]),
    "accountant": (
        ["전문대 세무회계과 졸업, 전산회계 1급", "회계·경리 사무 신입 지원", "ERP와 엑셀에 능숙한 회계 사무원 희망"],
        ["전산회계 1급", "더존", "세무 신고", "엑셀", "ERP"],
        ["{school}에서 세무회계를 전공하고 전산회계 1급을 취득했습니다.",
         "더존 프로그램으로 전표 입력과 결산 실습을 했습니다.",
         "Excel의 VLOOKUP과 피벗 테이블로 거래처 자료를 정리할 수 있습니다.",
         "{company}에서 {months}개월 동안 경리 보조로 일하며 부가세 신고 자료를 준비했습니다.",
         "급여 계산과 4대 보험 신고 절차를 배웠습니다.",
         "ERP 시스템에서 매입 매출 자료를 조회하고 대사해 보았습니다.",
         "숫자를 다루는 일에서 실수를 줄이려고 두 번씩 확인합니다."]),
    "nursing": (
        ["간호조무사 자격 취득, 병원 실습 780시간", "요양병원 간호조무사 지원", "환자 돌봄 경험이 있는 간호보조 인력"],
        ["간호조무사", "요양보호", "환자 이송", "활력징후 측정", "EMR"],
        ["보건계열 특성화고를 졸업하고 간호조무사 자격을 {year}년에 취득했습니다.",
         "요양병원에서 {hours}시간 실습하며 혈압과 체온을 측정했습니다.",
         "환자 식사 보조와 휠체어 이송을 맡아 했습니다.",
         "EMR 프로그램에 활력징후를 입력하는 방법을 익혔습니다.",
         "감염 관리를 위해 손 위생과 소독 절차를 지켰습니다.",
         "3교대 근무도 가능하며 밤 근무 경험이 있습니다.",
         "어르신들과 대화하는 것을 좋아하고 친절하다는 말을 자주 들었습니다."]),
    "qa": (
        ["소프트웨어 테스트와 QA 직무 희망, Python 기초", "Junior QA tester, 테스트 자동화 관심", "모바일 앱 품질보증 신입"],
        ["소프트웨어 테스트", "테스트 케이스 작성", "Jira", "Python", "Selenium"],
        ["{school}에서 소프트웨어 테스트 과정을 수료했습니다.",
         "테스트 케이스를 작성하고 Jira로 결함을 보고하는 프로젝트를 했습니다.",
         "Python과 Selenium으로 간단한 회귀 테스트 스크립트를 만들었습니다.",
         "모바일 앱의 기능 테스트를 Android와 iOS 기기에서 수행해 보았습니다.",
         "{company}에서 {months}개월 인턴으로 일하며 릴리스 전 점검을 도왔습니다.",
         "I wrote test plans in English and reported bugs with clear steps to reproduce.",
         "작은 오류도 놓치지 않으려고 체크리스트를 만들어 씁니다."]),
    "electrician": (
        ["전기과 졸업, 전기기능사와 PLC 실습", "공장 전기보전 신입 지원", "전기 설비 유지보수 희망"],
        ["전기기능사", "PLC", "배전반", "시퀀스 제어", "전기산업기사"],
        ["{school} 전기과를 졸업하고 전기기능사를 취득했습니다.",
         "시퀀스 제어와 PLC 프로그래밍 실습을 {hours}시간 했습니다.",
         "배전반 결선 작업과 절연 저항 측정을 할 수 있습니다.",
         "{company}에서 {months}개월 동안 생산설비 전기 보전을 보조했습니다.",
         "LS PLC와 Mitsubishi PLC의 래더 프로그램을 읽을 수 있습니다.",
         "전기산업기사 자격을 준비하고 있습니다.",
         "정전 작업 전에는 반드시 잠금 표지를 확인합니다."]),
    "logistics": (
        ["물류 관리 희망, 지게차 면허와 재고 관리 경험", "물류센터 입출고 관리원 지원", "WMS 사용 경험, 창고 관리 희망"],
        ["지게차", "재고 관리", "WMS", "입출고", "지게차운전기능사"],
        ["군 복무 중 보급 부대에서 물자 입출고와 재고 관리를 맡았습니다.",
         "지게차운전기능사를 {year}년에 취득했습니다.",
         "WMS로 입고 검수와 출고 지시를 처리해 보았습니다.",
         "{company} 물류센터에서 {months}개월 동안 상하차와 피킹을 했습니다.",
         "바코드 스캐너와 PDA 사용에 익숙합니다.",
         "재고 실사 때 차이를 찾아 원인을 보고했습니다.",
         "전역 후 물류센터에서 오래 일하고 싶습니다."]),
    "cad": (
        ["기계 설계 지망, AutoCAD·SolidWorks 능숙", "CAD 보조 설계원 지원", "3D 모델링 설계 신입"],
        ["AutoCAD", "SolidWorks", "기계 설계", "전산응용기계제도기능사", "GD&T"],
        ["{school} 기계설계과를 졸업하고 전산응용기계제도기능사를 취득했습니다.",
         "AutoCAD로 부품 도면을 그리고 SolidWorks로 조립품을 모델링했습니다.",
         "GD&T 기호를 이해하고 도면에 공차를 표기할 수 있습니다.",
         "{company}에서 {months}개월 동안 설비 도면 수정 업무를 도왔습니다.",
         "졸업 작품으로 컨베이어 지그를 설계하고 3D 프린터로 시제품을 만들었습니다.",
         "BOM을 작성하고 부품 번호를 관리해 보았습니다."]),
    "web": (
        ["웹 개발 부트캠프 수료, React 프로젝트", "Junior web developer (React)", "사내 시스템 웹 개발자 지원"],
        ["JavaScript", "React", "HTML/CSS", "SQL", "Git"],
        ["{school} 직업훈련 과정에서 JavaScript와 React를 배웠습니다.",
         "팀 프로젝트로 예약 웹사이트를 만들고 Git으로 협업했습니다.",
         "SQL로 데이터베이스 테이블을 설계하고 REST API를 연결해 보았습니다.",
         "{company}에서 {months}개월 인턴으로 사내 관리 화면을 개발했습니다.",
         "HTML/CSS로 반응형 화면을 만들 수 있습니다.",
         "I enjoy code review and reading documentation in English.",
         "새로운 기술을 배우는 속도가 빠르다는 평가를 받았습니다."]),
    "baker": (
        ["제과제빵 전공, 제빵기능사와 제과기능사", "식품 공장 제과 생산직 희망", "베이커리 제빵사 지원"],
        ["제빵기능사", "제과기능사", "위생 관리", "HACCP"],
        ["조리과학고에서 제과제빵을 배웠고 제빵기능사와 제과기능사를 모두 취득했습니다.",
         "HACCP 위생 교육을 이수했고 작업장 위생 점검표를 작성했습니다.",
         "{company}에서 {months}개월 동안 새벽 생산 라인에서 반죽과 성형을 했습니다.",
         "오븐 온도와 발효 시간을 기록하며 품질을 맞췄습니다.",
         "새벽 근무도 가능하고 체력에 자신이 있습니다."]),
}
GENERAL = [
    "성실함과 책임감이 저의 가장 큰 장점입니다.",
    "집에서 가까운 회사를 찾고 있으며 통근버스가 있으면 좋겠습니다.",
    "기숙사가 있는 회사라면 지역에 상관없이 지원하고 싶습니다.",
    "운전면허 2종 보통이 있습니다.",
    "컴퓨터활용능력 2급을 {year}년에 취득했습니다.",
    "교대 근무도 가능합니다.",
    "선배에게 배우며 한 회사에서 오래 일하고 싶습니다.",
    "학교에서 {hours}시간의 산업안전 교육을 이수했습니다.",
    "동아리 활동으로 봉사를 {months}개월 동안 꾸준히 했습니다.",
    "팀 프로젝트에서 일정 관리와 발표를 맡았습니다.",
    "모르는 것은 바로 묻고 메모하는 습관이 있습니다.",
    "편의점과 음식점 아르바이트로 고객 응대 경험을 쌓았습니다.",
    "체력 관리를 위해 매일 아침 운동을 합니다.",
    "주간 근무를 선호하지만 회사 사정에 맞출 수 있습니다.",
    "청년내일채움공제 같은 지원 제도에 관심이 많습니다.",
    "토익 {toeic}점이며 간단한 영어 메일을 쓸 수 있습니다.",
    "Communication and teamwork are my strengths.",
    "I am looking for on-the-job training in a small company.",
    "빠른 시일 안에 출근할 수 있습니다.",
    "가족의 추천으로 제조업에 관심을 갖게 되었습니다.",
    "실습 평가에서 A 등급을 받았습니다.",
    "규칙적인 생활을 하며 지각이나 결석이 거의 없습니다.",
    "{company} 채용 설명회에 참석해 현장 견학을 했습니다.",
    "주말 근무가 필요한 경우에도 협조하겠습니다.",
    "5S 활동과 정리정돈을 중요하게 생각합니다.",
    "문제가 생기면 혼자 해결하려 하기보다 먼저 보고합니다.",
    "Excel과 PowerPoint로 보고서를 만들 수 있습니다.",
    "자격증 공부를 계속하며 실력을 키우고 있습니다.",
    "지역 청년센터의 취업 상담 프로그램에 참여했습니다.",
    "새로운 환경에 빨리 적응하는 편입니다.",
]
PROBE_QUERIES = ["용접 생산직 사원 모집", "CNC 선반 가공 오퍼레이터", "물류센터 지게차 운전원", "Junior web developer (React)",
                 "요양병원 간호조무사", "공장 전기보전 신입", "회계 경리 사무원", "SW QA tester"]


def fill(template, rng):
    return template.format(
        school=rng.choice(SCHOOLS), company=rng.choice(COMPANIES), year=rng.randint(2019, 2025),
        months=rng.randint(2, 18), hours=rng.choice([120, 240, 360, 480, 600, 780]),
        toeic=rng.randrange(550, 900, 5))


def resume_text(rng, sentences):
    """80-300 whitespace-separated words, whole sentences, occupation ones first more often."""
    target = rng.randint(80, 300)
    pool = [fill(s, rng) for s in sentences]
    rng.shuffle(pool)
    general = GENERAL[:]
    rng.shuffle(general)
    out, words = [], 0
    while words < target:
        if pool and (rng.random() < 0.6 or not general):
            s = pool.pop()
        elif general:
            s = fill(general.pop(), rng)
        else:  # both banks used: sentences again with new slot values
            pool = [fill(s, rng) for s in sentences + GENERAL]
            rng.shuffle(pool)
            continue
        out.append(s)
        words += len(s.split())
    if words > 300:
        words -= len(out.pop().split())
    return " ".join(out), words


def make_seekers(rng, prefix, n, seen):
    """n seekers with ids prefix-00000..., distinct resumes (not in `seen`); word counts too."""
    out, counts, keys = [], [], list(OCCUPATIONS)
    for i in range(n):
        key = rng.choice(keys)
        headlines, skills, sentences = OCCUPATIONS[key]
        while True:
            text, words = resume_text(rng, sentences)
            if text not in seen:
                seen.add(text)
                break
        if rng.random() < 0.12:
            lat, lon = rng.choice(CENTRES)
            home = pb.Location(coordinates=pb.LatLon(lat=round(lat + rng.uniform(-0.18, 0.18), 5),
                                                     lon=round(lon + rng.uniform(-0.18, 0.18), 5)))
        else:
            home = pb.Location(region=rng.choice(REGIONS))
        track = pb.EDUCATION_TRACK_MILITARY_SERVICE if key == "logistics" and rng.random() < 0.6 else rng.choice(TRACKS)
        seeker = pb.Seeker(
            id=f"{prefix}-{i:05d}", display_name=f"{rng.choice(SURNAMES)}{rng.choice(GIVEN)}",
            headline=rng.choice(headlines), resume=text, skills=rng.sample(skills, k=rng.randint(1, 4)),
            home=home, max_commute_km=rng.choice([0, 10, 15, 20, 30, 50]), education_track=track,
            birth_year=rng.choice([0] + list(range(1991, 2008))),
            available_from=rng.choice(["", f"2027-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"]))
        if track == pb.EDUCATION_TRACK_MILITARY_SERVICE:
            seeker.discharge_date = f"2027-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        out.append(seeker)
        counts.append(words)
    return out, counts


# ---------------------------------------------------------------------------------------------

def percentile(values, q):
    """Linear interpolation between closest ranks (numpy's default); None when empty."""
    if not values:
        return None
    v = sorted(values)
    pos = (len(v) - 1) * q
    lo = int(pos)
    hi = min(lo + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (pos - lo)


def ms(x):
    return None if x is None else round(x * 1000, 1)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_model():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def loadavg():
    try:
        return [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]
    except OSError:
        return None


def peak_rss_mib(pid):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return None


class CpuMeter:
    """CPU seconds over an interval: the whole machine (busy, from /proc/stat), the server process,
    this script, and the rest (other processes: a build, another benchmark) by difference."""

    TICK = os.sysconf("SC_CLK_TCK")

    def __init__(self, server_pid):
        self.pid = server_pid
        self.start = self.sample()

    def sample(self):
        try:
            fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
            busy = (sum(fields[:8]) - fields[3] - fields[4]) / self.TICK  # less idle and iowait
            stat = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
            server = (int(stat[11]) + int(stat[12])) / self.TICK  # utime, stime
        except (OSError, IndexError, ValueError):
            return None
        t = os.times()
        return time.monotonic(), busy, server, t.user + t.system

    def figures(self):
        end = self.sample()
        if self.start is None or end is None:
            return None
        wall, busy, server, me = (b - a for a, b in zip(self.start, end))
        return {"wall_s": round(wall, 1), "capacity_s": round(wall * (os.cpu_count() or 1), 1),
                "machine_busy_s": round(busy, 1), "server_s": round(server, 1), "bench_client_s": round(me, 1),
                "other_processes_s": round(max(0.0, busy - server - me), 1)}


def wait_for_binary(path, timeout=600.0):
    """A rebuild may be replacing the binary: wait until it is there and executable."""
    deadline = time.monotonic() + timeout
    while not (os.path.isfile(path) and os.access(path, os.X_OK)):
        if time.monotonic() > deadline:
            sys.exit(f"bench-ingest: no executable binary at {path}")
        print(f"bench-ingest: waiting for {path} (a rebuild may be replacing it) ...", flush=True)
        time.sleep(5)


class Server:
    """`jobmatch serve` on a free port, a fresh data dir, no auth; its log in the work dir."""

    def __init__(self, binary, model, work, extra):
        self.addr = f"127.0.0.1:{free_port()}"
        self.log_path = work / "server.log"
        env = {k: v for k, v in os.environ.items() if not k.startswith("JOBMATCH_")}  # only our flags
        env.update({"JOBMATCH_LOG": "info,qdrant_edge=error", "NO_COLOR": "1"})
        self.started = time.monotonic()
        with open(self.log_path, "wb") as log:
            for attempt in range(20):  # the binary may vanish for a moment during a rebuild
                try:
                    self.proc = subprocess.Popen(
                        [binary, "serve", "--listen", self.addr, "--data-dir", str(work / "data"),
                         "--model", model, "--no-auth", *extra],
                        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log, env=env)
                    break
                except (FileNotFoundError, PermissionError, OSError):
                    if attempt == 19:
                        raise
                    time.sleep(3)
        atexit.register(lambda p=self.proc: p.poll() is None and p.kill())
        self.channel = grpc.insecure_channel(self.addr)

    def wait_serving(self, timeout=300.0):
        """Seconds from the start until the server reports SERVING (grpc.health.v1)."""
        return wait_serving(self.channel, self.proc, self.started, timeout, self.log_path)

    def stop(self, timeout=60.0):
        """SIGTERM, then SIGKILL if it has not exited after `timeout` s; returns how it ended."""
        self.channel.close()
        if self.proc.poll() is not None:
            return f"had exited ({self.proc.returncode})"
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout)
            return f"SIGTERM, exit {self.proc.returncode}"
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            return f"SIGKILL after {timeout:.0f} s without exiting on SIGTERM"


def upsert_all(addr, seekers, batch, label):
    """One client (own channel): batch after batch; returns (seconds, batch latencies, upserted)."""
    with grpc.insecure_channel(addr) as channel:
        stub = pb_grpc.MatchingStub(channel)
        grpc.channel_ready_future(channel).result(timeout=30)
        requests = [pb.UpsertSeekersRequest(seekers=seekers[i:i + batch]) for i in range(0, len(seekers), batch)]
        latencies, upserted = [], 0
        start = time.monotonic()
        for n, req in enumerate(requests):
            t0 = time.monotonic()
            try:
                resp = stub.UpsertSeekers(req, timeout=CALL_TIMEOUT_S)
            except grpc.RpcError as e:  # details name a field path, never the text
                raise RuntimeError(f"{label}: batch {n} (ids {req.seekers[0].id}..{req.seekers[-1].id}): "
                                   f"{e.code().name}: {e.details()}") from None
            latencies.append(time.monotonic() - t0)
            upserted += resp.upserted
            done = min((n + 1) * batch, len(seekers))
            if (n + 1) % max(1, len(requests) // 8) == 0 or n + 1 == len(requests):
                el = time.monotonic() - start
                print(f"  {label}: {done}/{len(seekers)} in {el:.1f} s ({done / el:.2f} records/s)", flush=True)
        return time.monotonic() - start, latencies, upserted


class Probe(threading.Thread):
    """Calls `call()` every PROBE_INTERVAL_S (never two at once) until stopped; keeps latencies."""

    def __init__(self, name, call):
        super().__init__(daemon=True)
        self.name_, self.call, self.stop_ = name, call, threading.Event()
        self.latencies, self.errors, self.results = [], {}, []

    def run(self):
        nxt = time.monotonic()
        i = 0
        while not self.stop_.is_set():
            t0 = time.monotonic()
            try:
                self.results.append(self.call(i))
                self.latencies.append(time.monotonic() - t0)
            except grpc.RpcError as e:
                key = e.code().name
                self.errors[key] = self.errors.get(key, 0) + 1
            i += 1
            nxt += PROBE_INTERVAL_S
            delay = nxt - time.monotonic()
            if delay < 0:
                nxt = time.monotonic()  # late: send the next one now, then keep the cadence
            elif self.stop_.wait(delay):
                break

    def summary(self):
        return {"calls": len(self.latencies) + sum(self.errors.values()), "ok": len(self.latencies),
                "errors": self.errors, "p50_ms": ms(percentile(self.latencies, 0.5)),
                "p95_ms": ms(percentile(self.latencies, 0.95)), "max_ms": ms(max(self.latencies, default=None))}


def phase_figures(records, seconds, latencies, upserted):
    return {"records": records, "upserted": upserted, "seconds": round(seconds, 2),
            "records_per_s": round(records / seconds, 3),
            "batch_p50_ms": ms(percentile(latencies, 0.5)), "batch_p95_ms": ms(percentile(latencies, 0.95)),
            "batch_max_ms": ms(max(latencies, default=None))}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--binary", default=str(Path.home() / ".cache/jobmatch/target/debug/jobmatch"))
    ap.add_argument("--records", type=int, default=1000, help="seekers per client (phase 1; each of the two in phase 2)")
    ap.add_argument("--batch", type=int, default=64, help="seekers per UpsertSeekers call")
    ap.add_argument("--model", default="models/multilingual-e5-small")
    ap.add_argument("--json", help="also write the JSON line here")
    ap.add_argument("--seed", type=int, default=20261202)
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory (data, server.log)")
    ap.add_argument("--server-arg", action="append", default=[], help="extra `serve` argument, repeatable")
    args = ap.parse_args()
    if args.records < 1 or args.batch < 1:
        sys.exit("--records and --batch must be at least 1")
    model = str((ROOT / args.model).resolve()) if not os.path.isabs(args.model) else args.model
    if not (Path(model) / "model.safetensors").exists():
        sys.exit(f"bench-ingest: no model.safetensors in {model} (scripts/fetch-model.sh fetches the default)")
    wait_for_binary(args.binary)

    rng = random.Random(args.seed)
    seen = set()
    t0 = time.monotonic()
    phase1, words1 = make_seekers(rng, "b1", args.records, seen)
    phase2a, words2a = make_seekers(rng, "b2a", args.records, seen)
    phase2b, words2b = make_seekers(rng, "b2b", args.records, seen)
    probe_seeker, _ = make_seekers(random.Random(args.seed + 1), "probe", 1, set())
    words = words1 + words2a + words2b
    resume_bytes = [len(s.resume.encode()) for s in phase1 + phase2a + phase2b]
    del seen
    print(f"bench-ingest: built {len(words)} seekers in {time.monotonic() - t0:.1f} s "
          f"(resume words {min(words)}-{max(words)}, mean {sum(words) / len(words):.0f})", flush=True)

    work = Path(tempfile.mkdtemp(prefix="jobmatch-bench-ingest-"))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the finally below
    server, stopped, result = None, None, None
    load_before = loadavg()
    binary_mtime = time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(os.path.getmtime(args.binary)))
    try:
        server = Server(args.binary, model, work, args.server_arg)
        print(f"bench-ingest: serve on {server.addr}, work dir {work}", flush=True)
        startup = server.wait_serving()
        print(f"bench-ingest: SERVING after {startup:.1f} s", flush=True)
        stub = pb_grpc.MatchingStub(server.channel)
        info = stub.ModelInfo(pb.ModelInfoRequest(), timeout=30)
        # The probe seeker (not timed); RecommendPostings needs a stored origin.
        stub.UpsertSeekers(pb.UpsertSeekersRequest(seekers=probe_seeker), timeout=CALL_TIMEOUT_S)
        empty_ok = stub.RecommendPostings(pb.RecommendPostingsRequest(
            seeker_id=probe_seeker[0].id, options=pb.RankingOptions(top_k=5)), timeout=60)
        idle_embed = []
        for q in PROBE_QUERIES * 2:
            t = time.monotonic()
            stub.Embed(pb.EmbedRequest(texts=[q], is_query=True), timeout=60)
            idle_embed.append(time.monotonic() - t)
        time.sleep(1.5)  # let the server's "no small request for a second" window pass

        # Phase 1: one client, probes alongside.
        print(f"phase 1: 1 client, {args.records} seekers, batches of {args.batch}, probes every "
              f"{PROBE_INTERVAL_S * 1000:.0f} ms", flush=True)
        embed_probe = Probe("embed", lambda i: len(stub.Embed(pb.EmbedRequest(
            texts=[PROBE_QUERIES[i % len(PROBE_QUERIES)]], is_query=True), timeout=60).vectors))
        rec_probe = Probe("recommend", lambda i: len(stub.RecommendPostings(pb.RecommendPostingsRequest(
            seeker_id=probe_seeker[0].id, options=pb.RankingOptions(top_k=5)), timeout=60).postings))
        cpu1 = CpuMeter(server.proc.pid)
        embed_probe.start()
        rec_probe.start()
        try:
            secs1, lat1, up1 = upsert_all(server.addr, phase1, args.batch, "client 1")
        finally:
            for p in (embed_probe, rec_probe):
                p.stop_.set()
            for p in (embed_probe, rec_probe):
                p.join()
        cpu1 = cpu1.figures()
        print(f"phase 1: {args.records / secs1:.2f} records/s ({secs1:.1f} s)", flush=True)
        time.sleep(1.5)

        # Phase 2: two clients at once, new ids, no probes.
        print(f"phase 2: 2 clients, {args.records} seekers each", flush=True)
        barrier, outcome = threading.Barrier(3), {}

        def client(label, seekers):
            barrier.wait()
            try:
                outcome[label] = upsert_all(server.addr, seekers, args.batch, label)
            except Exception as e:  # noqa: BLE001 - reported below
                outcome[label] = e

        threads = [threading.Thread(target=client, args=(lbl, s)) for lbl, s in
                   (("client A", phase2a), ("client B", phase2b))]
        for t in threads:
            t.start()
        barrier.wait()
        start2 = time.monotonic()
        cpu2 = CpuMeter(server.proc.pid)
        for t in threads:
            t.join()
        secs2 = time.monotonic() - start2
        cpu2 = cpu2.figures()
        for label, value in outcome.items():
            if isinstance(value, Exception):
                raise value
        lat2 = outcome["client A"][1] + outcome["client B"][1]
        up2 = outcome["client A"][2] + outcome["client B"][2]
        print(f"phase 2: {2 * args.records / secs2:.2f} records/s total ({secs2:.1f} s)", flush=True)

        stored = {}
        for sid in (phase1[-1].id, phase2a[-1].id, phase2b[-1].id):
            stored[sid] = stub.GetSeeker(pb.GetRequest(id=sid), timeout=60).id == sid
        rss = peak_rss_mib(server.proc.pid)
        result = {
            "benchmark": "bench-ingest",
            "records_per_client": args.records, "batch": args.batch, "seed": args.seed,
            "model": info.name, "model_dir": args.model, "dimension": info.dimension, "max_tokens": info.max_tokens,
            "resume_words": {"min": min(words), "mean": round(sum(words) / len(words), 1), "max": max(words)},
            "resume_bytes_mean": round(sum(resume_bytes) / len(resume_bytes)),
            "server_startup_s": round(startup, 2),
            "phase1_one_client": {**phase_figures(args.records, secs1, lat1, up1), "with_probes": True, "cpu": cpu1},
            "phase2_two_clients": {**phase_figures(2 * args.records, secs2, lat2, up2), "with_probes": False, "cpu": cpu2,
                                   "client_seconds": {k: round(v[0], 2) for k, v in outcome.items()}},
            "two_vs_one_client": round((2 * args.records / secs2) / (args.records / secs1), 3),
            "probes_during_phase1": {
                "interval_ms": PROBE_INTERVAL_S * 1000,
                "embed_query": {**embed_probe.summary(), "idle_p50_ms": ms(percentile(idle_embed, 0.5))},
                "recommend_postings": {**rec_probe.summary(), "postings_collection": "empty",
                                       "postings_returned_max": max(rec_probe.results, default=None),
                                       "before_phase1_returned": len(empty_ok.postings),
                                       "embeds_query": False},
            },
            "last_ids_readable": all(stored.values()),
            "server_peak_rss_mib": rss,
            "server_args": ["--no-auth", *args.server_arg],
            "binary": args.binary, "binary_mtime": binary_mtime,
            "machine": {"nproc": os.cpu_count(), "cpu_model": cpu_model(), "loadavg_before": load_before,
                        "loadavg_after": loadavg(), "python": platform.python_version(), "grpcio": grpc.__version__},
            "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        }
    finally:
        if server is not None:
            stopped = server.stop()
            print(f"bench-ingest: server stopped ({stopped})", flush=True)
        if args.keep:
            print(f"bench-ingest: kept {work}", flush=True)
        else:
            shutil.rmtree(work, ignore_errors=True)
    result["server_stop"] = stopped
    line = json.dumps(result, ensure_ascii=False)
    print(line, flush=True)
    if args.json:
        Path(args.json).write_text(line + "\n")


if __name__ == "__main__":
    main()
