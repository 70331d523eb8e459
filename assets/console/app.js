// jobmatch counsellor console: a single-file, framework-free front end for the HTTP JSON gateway
// (POST /api/v1/{Method}). Every piece of data is put into the page through DOM nodes and
// textContent, never through innerHTML, so names, headlines and reasons cannot inject markup.
// Never log resume text or tokens.
"use strict";

/* ------------------------------------------------------------------ strings */

// All UI strings, Korean first. `{name}` placeholders are filled by t().
const STRINGS = {
  ko: {
    appTitle: "jobmatch 상담 콘솔",
    appSubtitle: "상담 콘솔",
    skipToContent: "본문으로 건너뛰기",
    mainNav: "주 메뉴",
    navFind: "찾기",
    navRegion: "지역 배정",
    navFigures: "실적",
    signOut: "로그아웃",
    language: "언어",
    loading: "불러오는 중…",
    everywhere: "전국",
    role_platform: "플랫폼",
    role_counsellor: "상담사",
    role_admin: "관리자",
    // sign-in
    signInTitle: "로그인",
    signInIntro: "센터에서 받은 접속 토큰을 입력하세요. 토큰은 이 브라우저 탭에만 보관되며 탭을 닫으면 지워집니다.",
    tokenLabel: "접속 토큰",
    signIn: "로그인",
    tokenEmpty: "토큰을 입력하세요. 센터에서 받은 토큰을 붙여 넣으면 됩니다.",
    // errors
    err401: "토큰이 올바르지 않습니다. 센터에서 받은 토큰을 다시 입력하세요.",
    err403: "이 토큰으로는 이 작업을 할 수 없습니다. 권한이 있는 토큰으로 다시 로그인하세요.",
    err404: "찾을 수 없거나 담당 지역 밖의 자료입니다. ID와 지역을 확인하세요.",
    err400: "입력값이 올바르지 않습니다. 안내된 항목을 고친 뒤 다시 시도하세요.",
    errBusy: "서버가 바쁘거나 일시적으로 사용할 수 없습니다. 잠시 기다린 뒤 다시 시도하세요.",
    err504: "응답 시간이 초과되었습니다. 조건을 좁히거나 잠시 후 다시 시도하세요.",
    errNetwork: "서버에 연결할 수 없습니다. 네트워크를 확인하고 다시 시도하세요.",
    errOther: "요청을 처리하지 못했습니다 (HTTP {status}). 잠시 후 다시 시도하세요.",
    serverSaid: "서버 메시지: {message}",
    // find
    findTitle: "공고·구직자 찾기",
    findKind: "종류",
    kindPosting: "채용 공고",
    kindSeeker: "구직자",
    findText: "검색어 (ID, 제목, 회사명, 이름)",
    findRegion: "지역 (선택, 예: 경기 화성시)",
    findRun: "찾기",
    findMore: "더 보기",
    findNone: "조건에 맞는 자료가 없습니다. 검색어나 지역을 바꿔 보세요.",
    findCount: "{n}건 표시",
    findResults: "검색 결과",
    // posting page
    postingTitle: "공고",
    company: "회사",
    region: "지역",
    openings: "채용 인원",
    openingsN: "{n}명",
    skills: "요구 기술",
    sector: "업종",
    certified: "인증 기업",
    employment: "고용 형태",
    controls: "조건",
    filters: "필터",
    fYouth: "청년만 (만 34세 이하)",
    fTrack: "학력·경로",
    anyTrack: "전체",
    fDischargedBy: "전역 예정일 (이전)",
    fAvailableBy: "근무 가능일 (이전)",
    fMaxDistance: "최대 거리 (km)",
    fCommute: "통근 거리 존중",
    fTopK: "후보 수",
    weights: "가중치",
    wSemantic: "의미",
    wLexical: "단어",
    wGeo: "거리",
    wSkills: "기술",
    wDefault: "기본값",
    wReset: "기본값으로",
    rerank: "다시 순위 매기기",
    shortlist: "추천 후보",
    colRank: "순위",
    colName: "이름",
    colRegion: "지역",
    colDistance: "거리 (km)",
    colScore: "점수",
    colBreakdown: "점수 구성",
    colSkills: "기술과 근거",
    colOutcome: "결과 기록",
    colTitle: "공고",
    colCompany: "회사",
    colReason: "근거",
    bdSemantic: "의미",
    bdLexical: "단어",
    bdGeo: "거리",
    bdSkills: "기술",
    bdBoost: "가산",
    bdTitle: "최종 점수 = 의미 + 단어 + 거리 가중치×거리 점수 + 기술 + 가산점",
    matched: "보유",
    missing: "부족",
    beyondCommute: "통근 거리 밖",
    nothingMatched: "조건에 맞는 후보가 없습니다. 필터를 완화하거나 최대 거리를 늘려 보세요.",
    nothingWithinReach: "통근 거리 안에는 맞는 후보가 없습니다. 표시된 후보는 모두 통근 거리 밖입니다.",
    nothingWithinReachPostings: "통근 거리 안에는 맞는 공고가 없습니다. 표시된 공고는 모두 통근 거리 밖입니다.",
    outcome_proposed: "제안함",
    outcome_contacted: "연락함",
    outcome_interviewed: "면접",
    outcome_hired: "채용",
    outcome_rejected: "불합격",
    recorded: "{stage} 기록됨 #{seq}",
    rejectReason: "불합격 사유",
    rejectConfirm: "불합격 기록",
    cancel: "취소",
    reasonRequired: "불합격 사유를 입력하세요. 개인정보 없이 짧게 적으면 됩니다.",
    exportResume: "이력서 포함",
    exportCsv: "CSV 내려받기",
    exported: "CSV 파일을 내려받았습니다.",
    outcomesTitle: "제안·결과 기록",
    outcomesNone: "이 공고에는 아직 기록된 제안이나 결과가 없습니다.",
    outcomesFailed: "제안·결과 기록을 불러오지 못했습니다.",
    colSeeker: "구직자",
    colStage: "단계",
    colDate: "날짜",
    colRecordedBy: "기록한 사람",
    erasedSeeker: "(삭제된 구직자)",
    // seeker page
    seekerTitle: "구직자",
    headline: "한 줄 소개",
    seekerSkills: "보유 기술",
    commute: "통근 가능 거리",
    commuteKm: "{km} km",
    notStated: "미기재",
    track: "학력·경로",
    birthYear: "출생 연도",
    availableFrom: "근무 가능일",
    dischargeDate: "전역 (예정)일",
    showResume: "이력서 보기",
    hideResume: "이력서 숨기기",
    noResume: "이력서가 없습니다.",
    postingsTitle: "추천 공고",
    pfCertified: "인증 기업만",
    noPostings: "조건에 맞는 공고가 없습니다. 필터를 완화해 보세요.",
    skillGaps: "더 많은 공고를 여는 기술",
    skillGapItem: "{skill}: {asked}개 공고가 요구, {opens}개 공고가 열림",
    skillGapsNone: "추천할 기술이 없습니다.",
    postingsConsidered: "통근 거리 안의 공고 {n}개 기준",
    seekerAdvice: "구직자 조언",
    interviewPrep: "면접 준비 질문",
    interviewNone: "준비할 면접 질문이 없습니다.",
    questionSkill: "기술: {skill}",
    seekerCompleteness: "구직자 정보 완성도",
    // advice (both pages)
    adviceFailed: "조언을 불러오지 못했습니다.",
    postingAdvice: "공고 작성 도움",
    similarPostings: "비슷한 공고",
    similarNone: "비슷한 공고가 없습니다.",
    similarity: "유사도",
    skillsToAdd: "추가해 볼 기술",
    skillsToAddNone: "추가할 기술 제안이 없습니다.",
    askedBy: "{skill}: 비슷한 공고 {m}개 중 {n}개가 요구",
    market: "구직자 규모",
    seekersMatching: "조건에 맞는 구직자",
    seekersWithAllSkills: "요구 기술을 모두 갖춘 구직자",
    ifDropped: "기술 하나를 빼면",
    withoutSkill: "{skill} 없이: 구직자 {n}명",
    seekersConsidered: "검토한 구직자 {n}명 기준 (상한에 닿으면 최소치)",
    marketNone: "근무지가 없어 구직자 규모를 셀 수 없습니다.",
    completeness: "작성 완성도",
    completenessNone: "빠진 항목이 없습니다.",
    field_skills: "기술",
    field_location: "근무지",
    field_title: "제목",
    field_description: "설명",
    field_resume: "이력서",
    programmes: "지원사업",
    programmesNone: "해당하거나 조건 하나만 모자란 지원사업이 없습니다.",
    programmeBadge: "지원사업 {n}",
    progEligible: "해당",
    progOneShort: "조건 하나 부족: {condition}",
    progSource: "출처 (새 창)",
    progSourceYear: "출처: {year}년 규정 (새 창)",
    verifyNote: "규정은 매년 바뀝니다. 안내 전 출처에서 확인하세요",
    kind_employer_subsidy: "기업 지원금",
    kind_tax_relief: "세제 혜택",
    kind_seeker_support: "구직자 지원",
    kind_military_service: "병역",
    // region
    regionTitle: "지역 배정 계획",
    regionIntro: "여러 공고에 후보를 한꺼번에 배정합니다. 한 구직자가 너무 많은 명단에 오르지 않도록 전체 점수를 최대화합니다.",
    regionInput: "지역 (쉼표로 여러 개)",
    regionK: "채용 인원당 후보 수",
    regionMaxLists: "구직자당 최대 명단 수",
    regionCommute: "통근 거리 존중",
    regionRun: "배정 실행",
    regionSummary: "계획 요약",
    metric: "지표",
    plan: "배정 계획",
    greedy: "공고별 단순 상위",
    totalScore: "총점",
    distinctSeekers: "서로 다른 구직자 수",
    emptyLists: "빈 명단",
    shortLists: "모자란 명단",
    regionNoPostings: "이 지역에는 공고가 없습니다. 지역 이름을 확인하세요.",
    listSize: "{n} / {size}명",
    emptyList: "배정된 후보가 없습니다.",
    regionNeedInput: "지역을 하나 이상 입력하세요 (예: 경기도).",
    // figures
    figuresTitle: "센터 실적",
    figFrom: "시작일",
    figTo: "종료일",
    figRun: "조회",
    fig_placements: "채용 건수",
    fig_seekersPlaced: "채용된 구직자",
    fig_companies: "채용 기업",
    fig_events: "기록된 결과",
    fig_shareAged34OrYounger: "만 34세 이하 비율",
    fig_shareManufacturing: "제조업 비율",
    fig_shareCertifiedCompany: "인증 기업 비율",
    fig_medianDistanceKm: "통근 거리 중앙값",
    figMonths: "월별 채용",
    figStages: "단계별 쌍",
    noData: "자료가 없습니다",
    stage_OUTCOME_STAGE_UNSPECIFIED: "미지정",
    stage_OUTCOME_STAGE_PROPOSED: "제안",
    stage_OUTCOME_STAGE_CONTACTED: "연락함",
    stage_OUTCOME_STAGE_INTERVIEWED: "면접",
    stage_OUTCOME_STAGE_HIRED: "채용",
    stage_OUTCOME_STAGE_REJECTED: "불합격",
    // figures: people
    peopleTitle: "사람별 활동: 본 순위와 한 제안",
    peopleOwnOnly: "상담사 토큰으로는 자신의 활동만 보입니다.",
    peopleNone: "이 기간에 기록된 활동이 없습니다.",
    colRole: "역할",
    colRankingsViewed: "본 순위",
    colSeekersShown: "표시된 구직자",
    colProposals: "제안",
    // figures: exposure audit
    auditTitle: "노출 감사",
    auditIntro: "자격을 갖춘 구직자가 집단별로 얼마나 자주 상위 k에 오르는지 봅니다. 집계만 보이며 개인은 보이지 않습니다. 영향 비율이 0.8 미만이면 표시됩니다 (4/5 규칙).",
    auditK: "상위 k",
    auditPlan: "MatchRegion 계획도 감사",
    auditRun: "감사 실행",
    auditSummary: "감사한 공고 {audited} / {total}건 · 구직자 {seekers}명 · 상위 {k}",
    auditQualified: "자격 기준 (서버 정의): {text}",
    auditMinGroup: "구직자가 {n}명 미만인 집단은 건수만 보이고 비율은 보이지 않습니다.",
    auditPostings: "공고 {n}건",
    audit_ranking: "순위 상위 k 노출",
    audit_plan: "MatchRegion 계획",
    audit_outcomes: "기록된 결과: 채용률",
    auditNoGroups: "자격을 갖춘 구직자–공고 쌍이 없습니다.",
    colDimension: "기준",
    colGroup: "집단",
    colSeekers: "구직자",
    colPairs_ranking: "자격 쌍",
    colPairs_plan: "자격 쌍",
    colPairs_outcomes: "결과 기록 쌍",
    colExposed_ranking: "상위 k 노출",
    colExposed_plan: "명단 배정",
    colExposed_outcomes: "채용",
    colRate: "비율 [95% 신뢰구간]",
    colImpactRatio: "영향 비율 [95% 신뢰구간]",
    auditFlag: "⚑ 0.8 미만",
    auditSuppressed: "표본 부족",
    dim_age_band: "연령대",
    dim_education_track: "교육 과정",
    dim_military_status: "병역",
    dim_home_region: "거주 지역",
    dim_commute: "통근 거리",
    grp_34_or_younger: "34세 이하",
    grp_35_or_older: "35세 이상",
    grp_unknown: "미상",
    grp_specialised_high_school: "특성화고",
    grp_junior_college: "전문대",
    grp_vocational_school: "직업학교(폴리텍)",
    grp_university: "대학",
    grp_military_service: "군 복무",
    grp_unspecified: "미지정",
    grp_serving: "복무 중",
    grp_discharged: "전역",
    grp_none: "해당 없음",
    grp_capital_region: "수도권",
    grp_elsewhere: "비수도권",
    grp_stated: "밝힘",
    grp_not_stated: "밝히지 않음",
    // tracks
    track_EDUCATION_TRACK_UNSPECIFIED: "미기재",
    track_EDUCATION_TRACK_SPECIALISED_HIGH_SCHOOL: "특성화고",
    track_EDUCATION_TRACK_JUNIOR_COLLEGE: "전문대",
    track_EDUCATION_TRACK_VOCATIONAL_SCHOOL: "직업학교",
    track_EDUCATION_TRACK_UNIVERSITY: "대학교",
    track_EDUCATION_TRACK_MILITARY_SERVICE: "군 복무",
    emp_EMPLOYMENT_TYPE_UNSPECIFIED: "미기재",
    emp_EMPLOYMENT_TYPE_FULL_TIME: "정규직",
    emp_EMPLOYMENT_TYPE_PART_TIME: "시간제",
    emp_EMPLOYMENT_TYPE_CONTRACT: "계약직",
    emp_EMPLOYMENT_TYPE_INTERNSHIP: "인턴",
    yes: "예",
    no: "아니요",
    // map
    mapLabelPosting: "지도: 공고 근무지와 추천 후보 {n}명의 위치",
    mapLabelSeeker: "지도: 구직자의 집, 통근 범위와 추천 공고 {n}개의 위치",
    mapOrigin: "근무지",
    mapHome: "집",
    mapCandidate: "후보",
    mapPosting: "공고",
    mapCommute: "통근 범위",
    mapMaxDistance: "최대 거리",
    mapTooltipCandidate: "{rank}. {name} ({region}, {km} km)",
    mapTooltipPosting: "{rank}. {title} – {company} ({km} km)",
    mapNoLocation: "위치 정보가 없어 지도를 그릴 수 없습니다.",
    notFoundRoute: "없는 페이지입니다. 메뉴에서 페이지를 고르세요.",
  },
  en: {
    appTitle: "jobmatch counsellor console",
    appSubtitle: "Counsellor console",
    skipToContent: "Skip to content",
    mainNav: "Main menu",
    navFind: "Find",
    navRegion: "Region plan",
    navFigures: "Figures",
    signOut: "Sign out",
    language: "Language",
    loading: "Loading…",
    everywhere: "All regions",
    role_platform: "platform",
    role_counsellor: "counsellor",
    role_admin: "admin",
    signInTitle: "Sign in",
    signInIntro: "Enter the access token your centre gave you. It is kept in this browser tab only and is forgotten when the tab closes.",
    tokenLabel: "Access token",
    signIn: "Sign in",
    tokenEmpty: "Enter a token: paste the token your centre gave you.",
    err401: "Token not accepted: enter the token your centre gave you.",
    err403: "Your token may not do this: sign in with a token that has the permission.",
    err404: "Not found, or outside your regions: check the id and the region.",
    err400: "The request was not accepted: fix the field named below and try again.",
    errBusy: "The server is busy or unavailable: wait a moment and try again.",
    err504: "The request timed out: narrow it down or try again in a moment.",
    errNetwork: "Cannot reach the server: check the network and try again.",
    errOther: "The request failed (HTTP {status}): try again in a moment.",
    serverSaid: "Server said: {message}",
    findTitle: "Find postings and seekers",
    findKind: "Kind",
    kindPosting: "Job posting",
    kindSeeker: "Job seeker",
    findText: "Search (id, title, company, name)",
    findRegion: "Region (optional, e.g. Hwaseong-si)",
    findRun: "Find",
    findMore: "More",
    findNone: "Nothing matches: try other words or another region.",
    findCount: "{n} shown",
    findResults: "Results",
    postingTitle: "Posting",
    company: "Company",
    region: "Region",
    openings: "Openings",
    openingsN: "{n}",
    skills: "Skills asked",
    sector: "Sector",
    certified: "Certified company",
    employment: "Employment",
    controls: "Conditions",
    filters: "Filters",
    fYouth: "Youth only (34 or younger)",
    fTrack: "Education track",
    anyTrack: "Any",
    fDischargedBy: "Discharged by",
    fAvailableBy: "Available by",
    fMaxDistance: "Max distance (km)",
    fCommute: "Respect each seeker's commute",
    fTopK: "Candidates",
    weights: "Weights",
    wSemantic: "Meaning",
    wLexical: "Words",
    wGeo: "Distance",
    wSkills: "Skills",
    wDefault: "default",
    wReset: "Reset to defaults",
    rerank: "Re-rank",
    shortlist: "Recommended candidates",
    colRank: "Rank",
    colName: "Name",
    colRegion: "Region",
    colDistance: "Distance (km)",
    colScore: "Score",
    colBreakdown: "Breakdown",
    colSkills: "Skills and reason",
    colOutcome: "Record outcome",
    colTitle: "Posting",
    colCompany: "Company",
    colReason: "Reason",
    bdSemantic: "meaning",
    bdLexical: "words",
    bdGeo: "distance",
    bdSkills: "skills",
    bdBoost: "boost",
    bdTitle: "final = meaning + words + distance weight × distance score + skills + boost",
    matched: "Has",
    missing: "Missing",
    beyondCommute: "Beyond commute",
    nothingMatched: "No candidate matched: relax the filters or allow a longer distance.",
    nothingWithinReach: "No candidate within the seekers' commutes matched: everyone listed lives beyond their commute.",
    nothingWithinReachPostings: "No posting within the seeker's commute matched: every posting listed lies beyond it.",
    outcome_proposed: "Proposed",
    outcome_contacted: "Contacted",
    outcome_interviewed: "Interviewed",
    outcome_hired: "Hired",
    outcome_rejected: "Rejected",
    recorded: "{stage} recorded #{seq}",
    rejectReason: "Reason for rejection",
    rejectConfirm: "Record rejection",
    cancel: "Cancel",
    reasonRequired: "Enter a reason for the rejection: a short note without personal data.",
    exportResume: "include resume text",
    exportCsv: "Download CSV",
    exported: "CSV file downloaded.",
    outcomesTitle: "Proposals and outcomes",
    outcomesNone: "No proposal or outcome recorded for this posting yet.",
    outcomesFailed: "Could not load the proposals and outcomes.",
    colSeeker: "Seeker",
    colStage: "Stage",
    colDate: "Date",
    colRecordedBy: "Recorded by",
    erasedSeeker: "(erased seeker)",
    seekerTitle: "Seeker",
    headline: "Headline",
    seekerSkills: "Skills",
    commute: "Max commute",
    commuteKm: "{km} km",
    notStated: "not stated",
    track: "Education track",
    birthYear: "Birth year",
    availableFrom: "Available from",
    dischargeDate: "Discharge date",
    showResume: "Show resume",
    hideResume: "Hide resume",
    noResume: "No resume.",
    postingsTitle: "Recommended postings",
    pfCertified: "Certified companies only",
    noPostings: "No posting matched: relax the filters.",
    skillGaps: "Skills that would open more postings",
    skillGapItem: "{skill}: asked by {asked} postings, opens {opens}",
    skillGapsNone: "No skill to suggest.",
    postingsConsidered: "Over {n} postings within the commute",
    seekerAdvice: "Advice for the seeker",
    interviewPrep: "Interview preparation",
    interviewNone: "No interview questions to prepare.",
    questionSkill: "skill: {skill}",
    seekerCompleteness: "Profile completeness",
    adviceFailed: "Could not load the advice.",
    postingAdvice: "Posting advice",
    similarPostings: "Similar postings",
    similarNone: "No similar posting.",
    similarity: "similarity",
    skillsToAdd: "Skills to consider adding",
    skillsToAddNone: "No skill to suggest.",
    askedBy: "{skill}: asked by {n} of {m}",
    market: "Seekers available",
    seekersMatching: "Seekers matching",
    seekersWithAllSkills: "With every skill asked",
    ifDropped: "Dropping one skill",
    withoutSkill: "without {skill}: {n} seekers",
    seekersConsidered: "Over {n} seekers examined (at least, when the limit was reached)",
    marketNone: "No workplace given: seekers cannot be counted.",
    completeness: "Completeness",
    completenessNone: "Nothing missing.",
    field_skills: "Skills",
    field_location: "Workplace",
    field_title: "Title",
    field_description: "Description",
    field_resume: "Resume",
    programmes: "Support programmes",
    programmesNone: "No programme met or missed by one condition.",
    programmeBadge: "Programmes {n}",
    progEligible: "eligible",
    progOneShort: "one condition short: {condition}",
    progSource: "Source (new tab)",
    progSourceYear: "Source: {year} rules (new tab)",
    verifyNote: "Rules change every year: verify at the source before telling anyone",
    kind_employer_subsidy: "Employer subsidy",
    kind_tax_relief: "Tax relief",
    kind_seeker_support: "Seeker support",
    kind_military_service: "Military service",
    regionTitle: "Region plan",
    regionIntro: "Shortlists for many postings at once, maximising the total score while no seeker is on too many lists.",
    regionInput: "Regions (comma-separated)",
    regionK: "Candidates per opening",
    regionMaxLists: "Max lists per seeker",
    regionCommute: "Respect each seeker's commute",
    regionRun: "Run plan",
    regionSummary: "Plan summary",
    metric: "Figure",
    plan: "Plan",
    greedy: "Greedy top-k",
    totalScore: "Total score",
    distinctSeekers: "Distinct seekers",
    emptyLists: "Empty lists",
    shortLists: "Short lists",
    regionNoPostings: "No postings in these regions: check the region names.",
    listSize: "{n} / {size}",
    emptyList: "No candidate assigned.",
    regionNeedInput: "Enter at least one region (e.g. 경기도).",
    figuresTitle: "Centre figures",
    figFrom: "From",
    figTo: "To",
    figRun: "Show",
    fig_placements: "Placements",
    fig_seekersPlaced: "Seekers placed",
    fig_companies: "Companies",
    fig_events: "Events recorded",
    fig_shareAged34OrYounger: "Aged 34 or younger",
    fig_shareManufacturing: "Manufacturing",
    fig_shareCertifiedCompany: "Certified companies",
    fig_medianDistanceKm: "Median distance",
    figMonths: "Placements by month",
    figStages: "Pairs by stage",
    noData: "No data",
    stage_OUTCOME_STAGE_UNSPECIFIED: "unspecified",
    stage_OUTCOME_STAGE_PROPOSED: "Proposed",
    stage_OUTCOME_STAGE_CONTACTED: "Contacted",
    stage_OUTCOME_STAGE_INTERVIEWED: "Interviewed",
    stage_OUTCOME_STAGE_HIRED: "Hired",
    stage_OUTCOME_STAGE_REJECTED: "Rejected",
    peopleTitle: "People: rankings viewed and proposals made",
    peopleOwnOnly: "A counsellor's token shows its own activity only.",
    peopleNone: "No activity recorded in this period.",
    colRole: "Role",
    colRankingsViewed: "Rankings viewed",
    colSeekersShown: "Seekers shown",
    colProposals: "Proposals",
    auditTitle: "Exposure audit",
    auditIntro: "How often qualified seekers of each group reach the top k. Aggregates only: no individual is shown. An impact ratio below 0.8 is flagged (the four-fifths rule).",
    auditK: "Top k",
    auditPlan: "Also audit a MatchRegion plan",
    auditRun: "Run audit",
    auditSummary: "{audited} of {total} postings audited · {seekers} seekers · top {k}",
    auditQualified: "Qualified (the server's definition): {text}",
    auditMinGroup: "Groups of fewer than {n} seekers show counts only, no rates.",
    auditPostings: "postings: {n}",
    audit_ranking: "Top-k exposure in rankings",
    audit_plan: "MatchRegion plan",
    audit_outcomes: "Recorded outcomes: placement rate",
    auditNoGroups: "No qualified seeker–posting pair.",
    colDimension: "Dimension",
    colGroup: "Group",
    colSeekers: "Seekers",
    colPairs_ranking: "Qualified pairs",
    colPairs_plan: "Qualified pairs",
    colPairs_outcomes: "Pairs with an outcome",
    colExposed_ranking: "In the top k",
    colExposed_plan: "On a shortlist",
    colExposed_outcomes: "Hired",
    colRate: "Rate [95% CI]",
    colImpactRatio: "Impact ratio [95% CI]",
    auditFlag: "⚑ below 0.8",
    auditSuppressed: "too few",
    dim_age_band: "Age band",
    dim_education_track: "Education track",
    dim_military_status: "Military service",
    dim_home_region: "Home region",
    dim_commute: "Commute",
    grp_34_or_younger: "34 or younger",
    grp_35_or_older: "35 or older",
    grp_unknown: "unknown",
    grp_specialised_high_school: "Specialised high school",
    grp_junior_college: "Junior college",
    grp_vocational_school: "Vocational school (Polytechnic)",
    grp_university: "University",
    grp_military_service: "Military service",
    grp_unspecified: "unspecified",
    grp_serving: "Serving",
    grp_discharged: "Discharged",
    grp_none: "Not applicable",
    grp_capital_region: "Capital region",
    grp_elsewhere: "Elsewhere",
    grp_stated: "Stated",
    grp_not_stated: "Not stated",
    track_EDUCATION_TRACK_UNSPECIFIED: "not stated",
    track_EDUCATION_TRACK_SPECIALISED_HIGH_SCHOOL: "Specialised high school",
    track_EDUCATION_TRACK_JUNIOR_COLLEGE: "Junior college",
    track_EDUCATION_TRACK_VOCATIONAL_SCHOOL: "Vocational school",
    track_EDUCATION_TRACK_UNIVERSITY: "University",
    track_EDUCATION_TRACK_MILITARY_SERVICE: "Military service",
    emp_EMPLOYMENT_TYPE_UNSPECIFIED: "not stated",
    emp_EMPLOYMENT_TYPE_FULL_TIME: "Full time",
    emp_EMPLOYMENT_TYPE_PART_TIME: "Part time",
    emp_EMPLOYMENT_TYPE_CONTRACT: "Contract",
    emp_EMPLOYMENT_TYPE_INTERNSHIP: "Internship",
    yes: "yes",
    no: "no",
    mapLabelPosting: "Map: the posting's workplace and where its {n} candidates live",
    mapLabelSeeker: "Map: the seeker's home, commute and {n} recommended postings",
    mapOrigin: "Workplace",
    mapHome: "Home",
    mapCandidate: "Candidate",
    mapPosting: "Posting",
    mapCommute: "Commute",
    mapMaxDistance: "Max distance",
    mapTooltipCandidate: "{rank}. {name} ({region}, {km} km)",
    mapTooltipPosting: "{rank}. {title} – {company} ({km} km)",
    mapNoLocation: "No location to draw a map.",
    notFoundRoute: "No such page: pick one from the menu.",
  },
};

const TRACKS = [
  "EDUCATION_TRACK_SPECIALISED_HIGH_SCHOOL",
  "EDUCATION_TRACK_JUNIOR_COLLEGE",
  "EDUCATION_TRACK_VOCATIONAL_SCHOOL",
  "EDUCATION_TRACK_UNIVERSITY",
  "EDUCATION_TRACK_MILITARY_SERVICE",
];
const OUTCOMES = ["proposed", "contacted", "interviewed", "hired", "rejected"];
const TOKEN_KEY = "jobmatch.token";
const LANG_KEY = "jobmatch.lang";
const DEBOUNCE_MS = 300;
const KM_PER_DEG_LAT = 111.2;

/* ------------------------------------------------------------------ state */

const state = {
  lang: loadLang(),
  me: null, // WhoAmI answer once signed in
  gen: 0, // bumped on every route render; answers for an older view are dropped
  busy: new Set(), // keys of work in flight in the current view; empty = ready
  lastFind: null, // the last search, re-run when coming back to #/find
  regionsPromise: null,
};

function loadLang() {
  try {
    const v = localStorage.getItem(LANG_KEY);
    return v === "en" ? "en" : "ko";
  } catch (_) {
    return "ko";
  }
}

function t(key, vars) {
  const table = STRINGS[state.lang] || STRINGS.ko;
  let s = key in table ? table[key] : (key in STRINGS.ko ? STRINGS.ko[key] : key);
  if (vars) s = s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
  return s;
}

function getToken() {
  try { return sessionStorage.getItem(TOKEN_KEY) || ""; } catch (_) { return ""; }
}
function setToken(v) {
  try {
    if (v) sessionStorage.setItem(TOKEN_KEY, v); else sessionStorage.removeItem(TOKEN_KEY);
  } catch (_) { /* storage disabled: the token lives only as long as this call */ }
}

/* ------------------------------------------------------------------ DOM helpers */

// el("a", {href: "#", class: "x", dataset: {id: 1}, onclick: fn}, "text", childNode, ...)
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  setAttrs(node, attrs);
  appendAll(node, children);
  return node;
}

const SVG_NS = "http://www.w3.org/2000/svg";
function svgEl(tag, attrs, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  setAttrs(node, attrs);
  appendAll(node, children);
  return node;
}

function setAttrs(node, attrs) {
  if (!attrs) return;
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") node.setAttribute("class", v);
    else if (k === "text") node.textContent = v;
    else if (k === "dataset") Object.entries(v).forEach(([dk, dv]) => { node.dataset[dk] = String(dv); });
    else if (k.startsWith("on") && typeof v === "function") node.addEventListener(k.slice(2), v);
    else if (k === "checked" || k === "value" || k === "disabled" || k === "selected") node[k] = v;
    else node.setAttribute(k, v === true ? "" : String(v));
  }
}

function appendAll(node, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    node.appendChild(typeof c === "string" || typeof c === "number" ? document.createTextNode(String(c)) : c);
  }
}

const $ = (sel, root = document) => root.querySelector(sel);
const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));

// Proto3 JSON omits defaults: read numbers and lists defensively.
const num = (v) => { const n = Number(v); return Number.isFinite(n) ? n : 0; };
const list = (v) => (Array.isArray(v) ? v : []);
const str = (v) => (v === undefined || v === null ? "" : String(v));
const fixed = (v, d) => num(v).toFixed(d);

function field(labelText, input, opts = {}) {
  return el("div", { class: "field" + (opts.inline ? " inline" : "") },
    opts.inline ? [input, el("label", { for: input.id, text: labelText })]
      : [el("label", { for: input.id, text: labelText }), input]);
}

function todayIso() {
  const d = new Date();
  const p = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

function debounce(fn, ms) {
  let timer = 0;
  const wrapped = (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), ms); };
  wrapped.cancel = () => clearTimeout(timer);
  return wrapped;
}

/* ------------------------------------------------------------------ API */

class ApiError extends Error {
  constructor(status, code, message) {
    super(message || code || `HTTP ${status}`);
    this.status = status; // 0: network failure
    this.code = code || "";
    this.serverMessage = message || "";
  }
}

function apiFetch(path, body) {
  return fetch(path, {
    method: "POST",
    headers: {
      "Authorization": `Bearer ${getToken()}`,
      "Content-Type": "application/json",
    },
    body: JSON.stringify(body || {}),
    credentials: "same-origin",
    cache: "no-store",
  }).catch(() => { throw new ApiError(0, "NETWORK", ""); });
}

async function errorFrom(resp) {
  let code = "", message = "";
  try {
    const j = await resp.json();
    code = str(j.code);
    message = str(j.message);
  } catch (_) { /* not JSON: keep the status only */ }
  return new ApiError(resp.status, code, message);
}

// The one way the console talks to the server: POST /api/v1/{method} with the bearer token.
async function api(method, body) {
  const resp = await apiFetch(`/api/v1/${method}`, body);
  if (!resp.ok) throw await errorFrom(resp);
  const text = await resp.text();
  return text ? JSON.parse(text) : {};
}

// Same request, raw answer (the CSV export).
async function apiBlob(path, body) {
  const resp = await apiFetch(path, body);
  if (!resp.ok) throw await errorFrom(resp);
  return resp.blob();
}

function describeError(err) {
  if (!(err instanceof ApiError)) return t("errOther", { status: "?" });
  const s = err.status;
  let hint;
  if (s === 0) hint = t("errNetwork");
  else if (s === 400) hint = t("err400");
  else if (s === 401) hint = t("err401");
  else if (s === 403) hint = t("err403");
  else if (s === 404) hint = t("err404");
  else if (s === 429 || s === 503) hint = t("errBusy");
  else if (s === 504) hint = t("err504");
  else hint = t("errOther", { status: s });
  return err.serverMessage ? `${hint}\n${t("serverSaid", { message: err.serverMessage })}` : hint;
}

function showError(message) {
  const box = $("#error");
  box.textContent = message;
  box.hidden = false;
}
function clearError() {
  const box = $("#error");
  box.textContent = "";
  box.hidden = true;
}

// Shows the error; a 401 anywhere means the token is no good, so back to the sign-in form.
function handleError(err) {
  if (!(err instanceof ApiError)) console.error(err); // programming errors only; never data
  showError(describeError(err));
  if (err instanceof ApiError && err.status === 401) {
    setToken("");
    state.me = null;
    renderSignIn({ keepError: true });
  }
}

/* ------------------------------------------------------------------ view and readiness */

// Starts a new view: clears #view, bumps the generation, returns the body to fill.
// Browser tests wait on #view[data-ready="true"], so readiness is tracked as a set of
// in-flight keys; the view is ready only when the set is empty.
function newView(titleKey) {
  state.gen += 1;
  state.busy = new Set();
  const view = $("#view");
  view.replaceChildren();
  const status = el("p", { id: "view-status", class: "status", role: "status", text: t("loading") });
  const body = el("div", { id: "view-body" });
  view.append(status, body);
  document.title = titleKey ? `${t(titleKey)} · ${t("appTitle")}` : t("appTitle");
  setBusy("render", true);
  return { gen: state.gen, body };
}

function setBusy(key, on) {
  if (on) state.busy.add(key); else state.busy.delete(key);
  const ready = state.busy.size === 0;
  const view = $("#view");
  view.dataset.ready = ready ? "true" : "false";
  view.setAttribute("aria-busy", ready ? "false" : "true");
  const status = $("#view-status");
  if (status) status.hidden = ready;
}

const isCurrent = (gen) => gen === state.gen;

/* ------------------------------------------------------------------ header, language */

function applyStaticStrings() {
  document.documentElement.lang = state.lang;
  $$("[data-i18n]").forEach((n) => { n.textContent = t(n.dataset.i18n); });
  $$("[data-i18n-aria]").forEach((n) => { n.setAttribute("aria-label", t(n.dataset.i18nAria)); });
  $("#lang").value = state.lang;
}

function renderHeader() {
  const signedIn = !!state.me;
  $("#nav").hidden = !signedIn;
  $("#sign-out").hidden = !signedIn;
  const who = $("#whoami");
  who.hidden = !signedIn;
  if (signedIn) {
    const me = state.me;
    const regions = list(me.regionNames).length ? list(me.regionNames).join(", ")
      : (list(me.regions).length ? list(me.regions).join(", ") : t("everywhere"));
    const role = me.role ? t(`role_${me.role}`) : "";
    who.textContent = [str(me.name), role, regions].filter(Boolean).join(" · ");
  } else {
    who.textContent = "";
  }
  markCurrentNav();
}

function markCurrentNav() {
  const hash = location.hash || "";
  for (const [id, prefix] of [["nav-find", "#/find"], ["nav-region", "#/region"], ["nav-figures", "#/figures"]]) {
    const a = document.getElementById(id);
    if (hash.startsWith(prefix)) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
  }
}

function onLangChange(e) {
  state.lang = e.target.value === "en" ? "en" : "ko";
  try { localStorage.setItem(LANG_KEY, state.lang); } catch (_) { /* not kept */ }
  applyStaticStrings();
  renderHeader();
  // Re-render the current page in the new language (it fetches its data again).
  if (state.me) route(); else renderSignIn({ keepError: true });
}

function signOut() {
  setToken("");
  state.me = null;
  state.lastFind = null;
  clearError();
  renderHeader();
  if (location.hash !== "" && location.hash !== "#/") history.replaceState(null, "", "#/");
  renderSignIn();
}

/* ------------------------------------------------------------------ sign-in */

function renderSignIn(opts = {}) {
  if (!opts.keepError) clearError();
  renderHeader();
  const { body } = newView("signInTitle");
  const input = el("input", { id: "token", type: "password", name: "token", autocomplete: "current-password", required: true, spellcheck: "false" });
  const form = el("form", { id: "sign-in-form", class: "card sign-in", novalidate: true },
    el("h1", { text: t("signInTitle"), tabindex: "-1" }),
    el("p", { class: "muted", text: t("signInIntro") }),
    field(t("tokenLabel"), input),
    el("p", {}, el("button", { id: "sign-in", type: "submit", text: t("signIn") })));
  form.addEventListener("submit", (e) => { e.preventDefault(); submitSignIn(input.value.trim()); });
  body.append(form);
  setBusy("render", false);
  input.focus();
}

async function submitSignIn(token) {
  clearError();
  if (!token) { showError(t("tokenEmpty")); $("#token").focus(); return; }
  setToken(token);
  setBusy("signin", true);
  try {
    state.me = await api("WhoAmI", {});
  } catch (err) {
    setBusy("signin", false);
    handleError(err);
    if (!(err instanceof ApiError && err.status === 401)) setToken("");
    const input = $("#token");
    if (input) input.focus();
    return;
  }
  renderHeader();
  if (location.hash === "#/find") route(); else location.hash = "#/find";
}

/* ------------------------------------------------------------------ router */

function parseRoute() {
  const hash = location.hash.replace(/^#/, "");
  const parts = hash.split("/").filter(Boolean);
  const id = parts.length > 1 ? decodeURIComponent(parts.slice(1).join("/")) : "";
  switch (parts[0] || "") {
    case "": return { page: "home" };
    case "find": return { page: "find" };
    case "posting": return id ? { page: "posting", id } : { page: "unknown" };
    case "seeker": return id ? { page: "seeker", id } : { page: "unknown" };
    case "region": return { page: "region" };
    case "figures": return { page: "figures" };
    default: return { page: "unknown" };
  }
}

function route() {
  if (!state.me) { renderSignIn({ keepError: true }); return; }
  clearError();
  markCurrentNav();
  const r = parseRoute();
  switch (r.page) {
    case "home": location.replace("#/find"); return;
    case "find": renderFind(); break;
    case "posting": renderPosting(r.id); break;
    case "seeker": renderSeeker(r.id); break;
    case "region": renderRegion(); break;
    case "figures": renderFigures(); break;
    default: renderUnknown();
  }
}

function renderUnknown() {
  const { body } = newView(null);
  body.append(el("h1", { text: t("notFoundRoute") }));
  setBusy("render", false);
}

// A page heading that takes focus after navigation so screen readers announce the new page.
function pageHeading(text) {
  return el("h1", { text, tabindex: "-1" });
}

const hrefPosting = (id) => `#/posting/${encodeURIComponent(id)}`;
const hrefSeeker = (id) => `#/seeker/${encodeURIComponent(id)}`;

async function start() {
  applyStaticStrings();
  $("#lang").addEventListener("change", onLangChange);
  $("#sign-out").addEventListener("click", signOut);
  window.addEventListener("hashchange", () => {
    route();
    const h = $("#view h1");
    if (h && state.me) h.focus({ preventScroll: false });
  });
  if (!getToken()) { renderSignIn(); return; }
  newView(null);
  try {
    state.me = await api("WhoAmI", {});
  } catch (err) {
    handleError(err);
    if (!state.me && getToken()) { setBusy("render", false); }
    return;
  }
  renderHeader();
  route();
}

/* ------------------------------------------------------------------ map */

// The base map comes from regions.json; loaded once and shared. A failure leaves the map
// without its grey dots rather than breaking the page.
function loadRegions() {
  if (!state.regionsPromise) {
    state.regionsPromise = fetch("/console/regions.json", { credentials: "same-origin" })
      .then((r) => (r.ok ? r.json() : { regions: [] }))
      .then((j) => list(j && j.regions))
      .catch(() => []);
  }
  return state.regionsPromise;
}

const MAP_W = 480;
const MAP_H = 420;
const LON_FACTOR = Math.cos((36 * Math.PI) / 180);
const MIN_SPAN_KM = 60;

const hasLoc = (p) => !!p && (num(p.lat) !== 0 || num(p.lon) !== 0);
// Equirectangular, in "degrees of latitude" units so that 1 unit = 111.2 km on both axes.
const projX = (p) => num(p.lon) * LON_FACTOR;
const projY = (p) => -num(p.lat);
const kmToUnits = (km) => num(km) / KM_PER_DEG_LAT;

// Bounds of the things that must be visible: origin, markers and circles.
function mapBounds(opts, regions) {
  const b = { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity };
  const add = (p, rKm = 0) => {
    if (!hasLoc(p)) return;
    const r = kmToUnits(rKm);
    b.x0 = Math.min(b.x0, projX(p) - r); b.x1 = Math.max(b.x1, projX(p) + r);
    b.y0 = Math.min(b.y0, projY(p) - r); b.y1 = Math.max(b.y1, projY(p) + r);
  };
  add(opts.origin, opts.maxDistanceKm || 0);
  opts.markers.forEach((m) => add(m));
  opts.commutes.forEach((c) => add(c, c.km));
  if (!Number.isFinite(b.x0)) regions.forEach((r) => add(r)); // nothing located: all of Korea
  if (!Number.isFinite(b.x0)) return null;
  const minSpan = kmToUnits(MIN_SPAN_KM);
  for (const [lo, hi] of [["x0", "x1"], ["y0", "y1"]]) {
    const span = b[hi] - b[lo];
    if (span < minSpan) { const grow = (minSpan - span) / 2; b[lo] -= grow; b[hi] += grow; }
    const pad = (b[hi] - b[lo]) * 0.08;
    b[lo] -= pad; b[hi] += pad;
  }
  return b;
}

function makeProjection(b) {
  const s = Math.min(MAP_W / (b.x1 - b.x0), MAP_H / (b.y1 - b.y0));
  const cx = (b.x0 + b.x1) / 2, cy = (b.y0 + b.y1) / 2;
  return {
    s,
    x: (p) => (projX(p) - cx) * s + MAP_W / 2,
    y: (p) => (projY(p) - cy) * s + MAP_H / 2,
    r: (km) => kmToUnits(km) * s,
  };
}

const inView = (P, p, margin = 20) => {
  const x = P.x(p), y = P.y(p);
  return x > -margin && x < MAP_W + margin && y > -margin && y < MAP_H + margin;
};

function drawBase(svg, P, regions) {
  const g = svgEl("g", { class: "base-layer", "aria-hidden": "true" });
  const labels = [];
  for (const r of regions) {
    if (!hasLoc(r) || !inView(P, r)) continue;
    const sido = r.level === "sido";
    g.append(svgEl("circle", { class: sido ? "base sido" : "base", cx: fixed(P.x(r), 1), cy: fixed(P.y(r), 1), r: sido ? 4 : 2 }));
    if (sido) {
      const name = state.lang === "en" ? str(r.nameEn || r.shortName) : str(r.shortName || r.name);
      labels.push(svgEl("text", { class: "base-label", x: fixed(P.x(r) + 6, 1), y: fixed(P.y(r) + 3, 1), text: name }));
    }
  }
  g.append(...labels); // labels above every dot
  svg.append(g);
}

function drawScaleBar(svg, P) {
  const choices = [1, 2, 5, 10, 20, 50, 100, 200, 500];
  const km = choices.find((c) => P.r(c) >= 60) || choices[choices.length - 1];
  const w = P.r(km), x = 12, y = MAP_H - 14;
  svg.append(svgEl("g", { class: "scale", "aria-hidden": "true" },
    svgEl("rect", { x: x - 4, y: y - 16, width: fixed(w + 8, 1), height: 22, fill: "rgba(255,255,255,0.75)", rx: 3 }),
    svgEl("path", { class: "scale-bar", d: `M${x} ${y - 4}V${y}H${fixed(x + w, 1)}V${y - 4}`, fill: "none" }),
    svgEl("text", { class: "scale-label", x, y: y - 6, text: `${km} km` })));
}

// Draws <svg id="map"> for a posting (origin = workplace, markers = candidates) or a seeker
// (origin = home, markers = postings). opts: {kind, origin, markers:[{id, lat, lon, rank,
// tooltip, beyond}], commutes:[{id, lat, lon, km}], maxDistanceKm, label}.
function drawMap(opts, regions) {
  const svg = svgEl("svg", { id: "map", role: "img", "aria-label": opts.label, viewBox: `0 0 ${MAP_W} ${MAP_H}`, preserveAspectRatio: "xMidYMid meet" });
  svg.append(svgEl("title", { text: opts.label }));
  const b = mapBounds(opts, regions);
  if (!b) return svg;
  const P = makeProjection(b);
  const idAttr = opts.kind === "posting" ? "data-seeker-id" : "data-posting-id";
  drawBase(svg, P, regions);

  const circles = svgEl("g", { class: "circles" });
  for (const c of opts.commutes) {
    if (!hasLoc(c) || !(c.km > 0)) continue;
    circles.append(svgEl("circle", { class: "commute", "data-seeker-id": c.id, cx: fixed(P.x(c), 1), cy: fixed(P.y(c), 1), r: fixed(P.r(c.km), 1) }));
  }
  if (hasLoc(opts.origin) && opts.maxDistanceKm > 0) {
    circles.append(svgEl("circle", { class: "max-distance", cx: fixed(P.x(opts.origin), 1), cy: fixed(P.y(opts.origin), 1), r: fixed(P.r(opts.maxDistanceKm), 1) },
      svgEl("title", { text: `${t("mapMaxDistance")} ${fixed(opts.maxDistanceKm, 0)} km` })));
  }
  svg.append(circles);

  // Draw the best rank last so it sits on top where markers overlap.
  const markers = svgEl("g", { class: "markers" });
  const markerClass = opts.kind === "posting" ? "candidate" : "posting";
  for (const m of opts.markers.filter(hasLoc).slice().reverse()) {
    const cx = fixed(P.x(m), 1), cy = fixed(P.y(m), 1);
    const g = svgEl("g", { class: "marker", [idAttr]: m.id });
    g.append(svgEl("circle", { class: markerClass + (m.beyond ? " beyond" : ""), [idAttr]: m.id, cx, cy, r: 9 },
      svgEl("title", { text: m.tooltip })));
    g.append(svgEl("text", { class: "marker-label", x: cx, y: cy, text: String(m.rank) }));
    markers.append(g);
  }
  svg.append(markers);

  if (hasLoc(opts.origin)) {
    const ox = P.x(opts.origin), oy = P.y(opts.origin);
    const title = svgEl("title", { text: opts.kind === "posting" ? t("mapOrigin") : t("mapHome") });
    if (opts.kind === "posting") {
      svg.append(svgEl("path", { class: "posting-marker", d: `M${fixed(ox, 1)} ${fixed(oy - 11, 1)}l11 11l-11 11l-11 -11z` }, title));
    } else {
      svg.append(svgEl("circle", { class: "seeker-marker", cx: fixed(ox, 1), cy: fixed(oy, 1), r: 9 }, title));
    }
  }
  drawScaleBar(svg, P);
  return svg;
}

function mapLegend(kind) {
  const item = (color, text, ring) => el("li", {},
    el("span", { class: "sw", style: ring ? `border:2px solid ${color};background:transparent` : `background:${color}` }), text);
  return el("ul", { class: "map-legend", "aria-hidden": "true" },
    kind === "posting" ? item("#b3261e", t("mapOrigin")) : item("#1e6b35", t("mapHome")),
    item("#0b5cad", kind === "posting" ? t("mapCandidate") : t("mapPosting")),
    kind === "posting" ? item("#c17f00", t("beyondCommute")) : null,
    item("rgba(30,107,53,0.6)", t("mapCommute"), true),
    kind === "posting" ? item("#b3261e", t("mapMaxDistance"), true) : null);
}

// Row ↔ marker highlighting: hovering or focusing a row lights up its marker (and circle);
// hovering a marker lights up its row; clicking a marker moves focus to the row's link.
function wireHighlight(table, mapWrap, attr) {
  const dataKey = attr === "data-seeker-id" ? "seekerId" : "postingId";
  const set = (id, on) => {
    if (!id) return;
    const sel = `[${attr}="${CSS.escape(id)}"]`;
    $$(sel, mapWrap).forEach((n) => n.classList.toggle("highlight", on));
    $$(`tbody tr${sel}`, table).forEach((n) => n.classList.toggle("highlight", on));
    if (on) $$(`.marker${sel}`, mapWrap).forEach((g) => g.parentNode.appendChild(g)); // bring to front
  };
  const rowId = (e) => { const tr = e.target.closest("tbody tr"); return tr ? tr.dataset[dataKey] : ""; };
  table.addEventListener("mouseover", (e) => set(rowId(e), true));
  table.addEventListener("mouseout", (e) => set(rowId(e), false));
  table.addEventListener("focusin", (e) => set(rowId(e), true));
  table.addEventListener("focusout", (e) => set(rowId(e), false));
  const markerId = (e) => { const g = e.target.closest(".marker"); return g ? g.getAttribute(attr) : ""; };
  mapWrap.addEventListener("mouseover", (e) => set(markerId(e), true));
  mapWrap.addEventListener("mouseout", (e) => set(markerId(e), false));
  mapWrap.addEventListener("click", (e) => {
    const id = markerId(e);
    if (!id) return;
    const link = $(`tbody tr[${attr}="${CSS.escape(id)}"] a`, table);
    if (link) link.focus();
  });
}

/* ------------------------------------------------------------------ find */

function renderFind() {
  const { gen, body } = newView("navFind");
  const last = state.lastFind || { kind: "posting", text: "", region: "" };
  const kind = el("select", { id: "find-kind", name: "kind" },
    el("option", { value: "posting", text: t("kindPosting") }),
    el("option", { value: "seeker", text: t("kindSeeker") }));
  kind.value = last.kind;
  const text = el("input", { id: "find-text", type: "search", name: "text", value: last.text, autocomplete: "off" });
  const region = el("input", { id: "find-region", type: "text", name: "region", value: last.region, autocomplete: "off" });
  const form = el("form", { id: "find-form", role: "search", class: "card" },
    el("div", { class: "row" },
      field(t("findKind"), kind), field(t("findText"), text), field(t("findRegion"), region),
      el("div", { class: "field" }, el("button", { id: "find-run", type: "submit", text: t("findRun") }))));
  const results = el("div", { id: "find-results", "aria-live": "polite", "aria-label": t("findResults") });
  body.append(pageHeading(t("findTitle")), form, results);

  const search = { seq: 0 };
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    state.lastFind = { kind: kind.value, text: text.value.trim(), region: region.value.trim() };
    runFind(gen, search, state.lastFind, results, "");
  });
  setBusy("render", false);
  // Coming back to the page (e.g. with Back) repeats the last search instead of an empty page.
  if (state.lastFind) runFind(gen, search, state.lastFind, results, "");
}

async function runFind(gen, search, query, results, pageToken) {
  const seq = ++search.seq;
  clearError();
  setBusy("find", true);
  const req = {
    kind: query.kind === "seeker" ? "RECORD_KIND_SEEKER" : "RECORD_KIND_POSTING",
    limit: 20,
  };
  if (query.text) req.text = query.text;
  if (query.region) req.regions = query.region.split(",").map((s) => s.trim()).filter(Boolean);
  if (pageToken) req.pageToken = pageToken;
  try {
    const resp = await api("FindRecords", req);
    if (!isCurrent(gen) || seq !== search.seq) return;
    renderFindResults(gen, search, query, results, resp, !!pageToken);
  } catch (err) {
    if (!isCurrent(gen) || seq !== search.seq) return;
    handleError(err);
  }
  if (isCurrent(gen) && seq === search.seq) setBusy("find", false);
}

function renderFindResults(gen, search, query, results, resp, append) {
  const records = list(resp.records);
  let ul = $("ul.results-list", results);
  if (!append || !ul) {
    results.replaceChildren();
    ul = el("ul", { class: "results-list" });
    results.append(ul);
  }
  const firstNew = records.length ? ul.children.length : -1;
  const href = query.kind === "seeker" ? hrefSeeker : hrefPosting;
  for (const r of records) {
    ul.append(el("li", {}, el("a", { href: href(str(r.id)), dataset: { id: str(r.id) } },
      el("span", { class: "r-title", text: str(r.title) || str(r.id) }),
      el("span", { class: "r-region", text: str(r.regionName) }),
      el("span", { class: "r-sub" }, str(r.subtitle), " ", el("span", { class: "r-id", text: `(${str(r.id)})` })))));
  }
  const old = $("#find-more", results);
  const hadFocus = old && document.activeElement === old;
  if (old) old.remove();
  $$(".find-count, .find-none", results).forEach((n) => n.remove());
  if (ul.children.length === 0) {
    results.append(el("p", { class: "find-none empty", text: t("findNone") }));
  } else {
    results.append(el("p", { class: "find-count muted small", text: t("findCount", { n: ul.children.length }) }));
  }
  const next = str(resp.nextPageToken);
  if (next) {
    const more = el("button", { id: "find-more", type: "button", class: "secondary", text: t("findMore") });
    more.addEventListener("click", () => runFind(gen, search, query, results, next));
    results.append(more);
    if (hadFocus) more.focus();
  } else if (hadFocus && firstNew >= 0 && ul.children[firstNew]) {
    ul.children[firstNew].querySelector("a").focus();
  }
}

/* ------------------------------------------------------------------ live re-ranking */

// Runs `load()` and hands its answer to `render()`, debounced. Every schedule bumps the
// sequence, so an answer to a superseded request is dropped and never overwrites a newer one;
// the view stays not-ready from the first change until the newest answer is rendered.
function makeRanker(gen, key, load, render) {
  let seq = 0;
  const run = async () => {
    const my = ++seq;
    const stale = () => !isCurrent(gen) || my !== seq;
    clearError();
    try {
      const resp = await load();
      if (stale()) return;
      render(resp);
    } catch (err) {
      if (stale()) return;
      handleError(err);
    }
    if (!stale()) setBusy(key, false);
  };
  const later = debounce(run, DEBOUNCE_MS);
  return {
    schedule() { seq++; if (isCurrent(gen)) setBusy(key, true); later(); },
    now() { later.cancel(); if (isCurrent(gen)) setBusy(key, true); return run(); },
  };
}

/* ------------------------------------------------------------------ shared bits of the record pages */

function chips(items, cls) {
  return el("ul", { class: "chips" }, list(items).map((s) => el("li", { class: `chip ${cls || ""}`.trim(), text: str(s) })));
}

function fact(label, value) {
  return el("li", {}, el("span", { class: "muted", text: `${label}: ` }), el("span", { text: value }));
}

function locationRegion(loc) {
  return loc && loc.region ? str(loc.region) : "";
}

function checkbox(id, checked) {
  return el("input", { id, type: "checkbox", checked: !!checked });
}

function rankTable(id, columns, caption) {
  const table = el("table", { id },
    el("caption", { class: "muted small", text: caption }),
    el("thead", {}, el("tr", {}, columns.map(([text, cls]) => el("th", { scope: "col", class: cls, text })))),
    el("tbody"));
  return table;
}

/* ------------------------------------------------------------------ advice and support programmes */

const PROGRAMME_KINDS = ["employer_subsidy", "tax_relief", "seeker_support", "military_service"];
// FieldAdvice.field → string key of its label; an unknown field is shown as the server wrote it.
const FIELD_LABELS = {
  skills: "field_skills", location: "field_location", title: "field_title", description: "field_description",
  resume: "field_resume", sector: "sector", employment_type: "employment", max_commute_km: "commute",
  available_from: "availableFrom", birth_year: "birthYear", education_track: "track",
};

// Only web addresses become links: a `javascript:` or other source stays plain text.
function safeHttpUrl(value) {
  try {
    const url = new URL(str(value), location.href);
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : "";
  } catch (_) {
    return "";
  }
}

function programmeKind(kind) {
  const k = str(kind);
  return PROGRAMME_KINDS.includes(k) ? t(`kind_${k}`) : k;
}

function programmeSource(p) {
  const href = safeHttpUrl(p.source);
  const year = num(p.rulesRead);
  const label = year ? t("progSourceYear", { year }) : t("progSource");
  return el("div", { class: "programme-source small" },
    href ? el("a", { href, target: "_blank", rel: "noopener noreferrer", text: label })
      : (p.source ? el("span", { text: str(p.source) }) : null),
    p.verifyBeforeUse ? el("span", { class: "verify-note", text: t("verifyNote") }) : null);
}

function programmeItem(p) {
  const eligible = !!p.eligible;
  return el("li", { class: "programme", dataset: { programmeId: str(p.id), eligible: eligible ? "true" : "false" } },
    el("div", { class: "programme-head" },
      el("strong", { class: "programme-name", lang: "ko", text: str(p.name) || str(p.id) }),
      state.lang === "en" && p.nameEn ? el("span", { class: "programme-name-en", text: str(p.nameEn) }) : null,
      p.kind ? el("span", { class: "chip programme-kind", text: programmeKind(p.kind) }) : null),
    el("div", { class: eligible ? "programme-status eligible" : "programme-status near-miss",
      text: eligible ? t("progEligible") : t("progOneShort", { condition: str(p.failedCondition) }) }),
    programmeSource(p));
}

// The one way a list of ProgrammeMatch is shown (advice panels and shortlist rows).
function programmeList(programmes, id) {
  const items = list(programmes);
  if (!items.length) return el("p", { id, class: "muted small", text: t("programmesNone") });
  return el("ul", { id, class: "programme-list" }, items.map(programmeItem));
}

// A count badge that shows or hides the row's programmes just below the reason.
function programmeToggle(programmes, listId) {
  const items = list(programmes);
  if (!items.length) return null;
  const box = programmeList(items, listId);
  box.classList.add("row-programmes");
  box.hidden = true;
  const button = el("button", { type: "button", class: "programme-toggle", "aria-expanded": "false", "aria-controls": listId,
    text: t("programmeBadge", { n: items.length }) });
  button.addEventListener("click", () => {
    box.hidden = !box.hidden;
    button.setAttribute("aria-expanded", box.hidden ? "false" : "true");
  });
  return [button, box];
}

function adviceSection(id, title, content, cls) {
  return el("section", { id, class: `advice-section ${cls || ""}`.trim(), "aria-labelledby": `${id}-h` },
    el("h3", { id: `${id}-h`, text: title }), content);
}

const noneText = (key) => el("p", { class: "muted small", text: t(key) });

function completenessList(fields) {
  const items = list(fields);
  if (!items.length) return noneText("completenessNone");
  return el("ul", { class: "advice-list completeness-list" }, items.map((f) => {
    const key = FIELD_LABELS[str(f.field)];
    return el("li", { dataset: { field: str(f.field) } },
      el("strong", { text: `${key ? t(key) : str(f.field)}: ` }), el("span", { text: str(f.advice) }));
  }));
}

function similarList(similar) {
  const items = list(similar);
  if (!items.length) return noneText("similarNone");
  return el("ul", { class: "advice-list similar-list" }, items.map((s) => {
    const id = str(s.postingId);
    return el("li", { dataset: { postingId: id } },
      el("a", { href: hrefPosting(id), text: str(s.title) || id }),
      s.companyName ? el("span", { class: "muted", text: ` · ${str(s.companyName)}` }) : null,
      el("span", { class: "small similar-figures", text: ` · ${t("similarity")} ${fixed(s.similarity, 3)} · ${fixed(s.distanceKm, 1)} km` }));
  }));
}

function skillsToAddList(suggestions) {
  const items = list(suggestions);
  if (!items.length) return noneText("skillsToAddNone");
  return el("ul", { class: "advice-list skills-to-add" }, items.map((s) => el("li", { dataset: { skill: str(s.skill) },
    text: t("askedBy", { skill: str(s.skill), n: num(s.askedBy), m: num(s.outOf) }) })));
}

function marketFigure(cls, label, value) {
  return el("div", { class: `market-figure ${cls}` }, el("dt", { text: label }), el("dd", { class: "value", text: String(num(value)) }));
}

// Absent when the draft has no workplace.
function marketBlock(market) {
  if (!market) return noneText("marketNone");
  const drops = list(market.ifDropped);
  return [
    el("dl", { class: "market-figures" },
      marketFigure("seekers-matching", t("seekersMatching"), market.seekersMatching),
      marketFigure("seekers-with-all-skills", t("seekersWithAllSkills"), market.seekersWithAllSkills)),
    drops.length ? el("p", { class: "small muted if-dropped-head", text: t("ifDropped") }) : null,
    drops.length ? el("ul", { class: "advice-list if-dropped" }, drops.map((d) => el("li", { dataset: { skill: str(d.skill) },
      text: t("withoutSkill", { skill: str(d.skill), n: num(d.seekersWithAllOthers) }) }))) : null,
    market.seekersConsidered ? el("p", { class: "muted small", text: t("seekersConsidered", { n: num(market.seekersConsidered) }) }) : null,
  ];
}

function adviceFailure(err) {
  return el("p", { class: "advice-error muted small", text: `${t("adviceFailed")} ${describeError(err)}` });
}

// The posting's advice panel: collapsible, filled after the shortlist has rendered.
function postingAdvicePanel() {
  return el("details", { id: "posting-advice", class: "card advice", open: true },
    el("summary", {}, el("h2", { text: t("postingAdvice") })),
    el("div", { class: "advice-body" }));
}

// Optional advice, loaded after the list; like the skill gaps, it never touches data-ready or #error.
async function loadPostingAdvice(gen, draft, panel) {
  const body = $(".advice-body", panel);
  body.replaceChildren(el("p", { class: "status", role: "status", text: t("loading") }));
  let resp;
  try {
    resp = await api("AdvisePosting", { draft });
  } catch (err) {
    if (isCurrent(gen)) body.replaceChildren(adviceFailure(err));
    return;
  }
  if (!isCurrent(gen)) return;
  body.replaceChildren(el("div", { class: "advice-grid" },
    adviceSection("posting-similar", t("similarPostings"), similarList(resp.similar)),
    adviceSection("posting-skills-to-add", t("skillsToAdd"), skillsToAddList(resp.skillsToAdd)),
    adviceSection("posting-market", t("market"), marketBlock(resp.market)),
    adviceSection("posting-completeness", t("completeness"), completenessList(resp.completeness)),
    adviceSection("posting-programmes", t("programmes"), programmeList(resp.programmes), "wide")));
}

function interviewList(interview) {
  const preps = list(interview);
  if (!preps.length) return noneText("interviewNone");
  return preps.map((p) => {
    const id = str(p.postingId);
    return el("div", { class: "interview-posting", dataset: { postingId: id } },
      el("h4", {}, el("a", { href: hrefPosting(id), text: str(p.title) || id })),
      el("ol", { class: "questions" }, list(p.questions).map((q) => el("li", {},
        el("span", { class: "question", text: str(q.question) }),
        q.skill ? [" ", el("span", { class: "chip question-skill", text: t("questionSkill", { skill: str(q.skill) }) })] : null))));
  });
}

/* ------------------------------------------------------------------ posting shortlist */

const WEIGHTS = [
  ["semantic", "semanticWeight", "wSemantic"],
  ["lexical", "lexicalWeight", "wLexical"],
  ["geo", "geoWeight", "wGeo"],
  ["skills", "skillsWeight", "wSkills"],
];

function renderPosting(postingId) {
  const { gen, body } = newView("postingTitle");
  const h1 = pageHeading(postingId);
  const company = el("p", { class: "muted" });
  const facts = el("ul", { class: "header-facts" });
  const skills = el("div", { class: "header-skills" });
  const header = el("section", { class: "card", "aria-labelledby": "posting-h1" }, h1, company, facts, skills);
  h1.id = "posting-h1";

  const controls = postingControls();
  const exportBox = exportControls(gen, postingId, () => candidatesRequest(postingId, controls));
  const notice = el("div", { id: "shortlist-notice" });
  const table = rankTable("shortlist", [
    [t("colRank"), "num"], [t("colName")], [t("colRegion")], [t("colDistance"), "num"],
    [t("colScore"), "num"], [t("colSkills")], [t("colOutcome")],
  ], t("shortlist"));
  const mapWrap = el("div", { class: "map-wrap" });
  const advice = postingAdvicePanel();
  const outcomesCard = postingOutcomesCard();
  // Controls sit above the list in the left column so the map stays beside both on wide screens.
  body.append(header,
    el("div", { class: "split" },
      el("div", { class: "split-main" }, controls.form,
        el("section", { "aria-label": t("shortlist") }, el("div", { class: "list-head" }, el("h2", { text: t("shortlist") }), exportBox),
          notice, el("div", { class: "table-wrap" }, table)), outcomesCard.section, advice),
      mapWrap));
  wireHighlight(table, mapWrap, "data-seeker-id");

  const recorded = new Map(); // seekerId → "채용 기록됨 #12", kept across re-ranks
  const outcomes = makeOutcomesLoader(gen, postingId, outcomesCard);
  let posting = null; // as GetPosting returned it: the advice's draft
  let adviceLoaded = false;
  const ranker = makeRanker(gen, "rank",
    // The base map is awaited too, so the map is drawn before the view says it is ready.
    async () => {
      const req = candidatesRequest(postingId, controls);
      const [resp, regions] = await Promise.all([api("RecommendCandidates", req), loadRegions()]);
      return { resp, req, regions };
    },
    ({ resp, req, regions }) => {
      renderShortlist(gen, postingId, resp, table, notice, recorded, outcomes.recorded);
      controls.showDefaults(list(resp.candidates)[0]);
      updatePostingRegion(facts, resp);
      drawCandidatesMap(mapWrap, resp, req, regions);
      if (!adviceLoaded && posting) { adviceLoaded = true; loadPostingAdvice(gen, posting, advice); }
    });
  controls.onChange(() => ranker.schedule());
  controls.form.addEventListener("submit", (e) => { e.preventDefault(); ranker.now(); });

  loadPostingHeader(gen, postingId, { h1, company, facts, skills }).then((p) => {
    if (!isCurrent(gen)) return;
    posting = p;
    // Start the ranking and the outcomes before dropping the "render" key so the view never
    // looks ready between.
    if (p) { ranker.now(); outcomes.load(); } else { controls.form.hidden = true; advice.hidden = true; outcomesCard.section.hidden = true; }
    setBusy("render", false);
  });
}

// Resolves to the posting as returned (null when it could not be read).
async function loadPostingHeader(gen, postingId, parts) {
  let p;
  try {
    p = await api("GetPosting", { id: postingId });
  } catch (err) {
    if (isCurrent(gen)) handleError(err);
    return null;
  }
  if (!isCurrent(gen)) return null;
  parts.h1.textContent = str(p.title) || postingId;
  document.title = `${parts.h1.textContent} · ${t("appTitle")}`;
  parts.company.textContent = [str(p.companyName), `ID ${str(p.id) || postingId}`].filter(Boolean).join(" · ");
  const region = locationRegion(p.location);
  appendAll(parts.facts, [
    el("li", { class: "region-fact" }, el("span", { class: "muted", text: `${t("region")}: ` }), el("span", { class: "region-value", text: region || "…" })),
    fact(t("openings"), t("openingsN", { n: num(p.openings) || 1 })),
    p.sector ? fact(t("sector"), str(p.sector)) : null,
    p.employmentType ? fact(t("employment"), t(`emp_${p.employmentType}`)) : null,
    fact(t("certified"), p.certifiedCompany ? t("yes") : t("no"))]);
  if (list(p.skills).length) parts.skills.append(el("span", { class: "muted small", text: `${t("skills")}:` }), chips(p.skills));
  return p;
}

// The answer names the workplace's region even when the posting was stored by coordinates.
function updatePostingRegion(facts, resp) {
  const v = $(".region-value", facts);
  if (v && resp.originRegionName && (v.textContent === "…" || !v.textContent)) v.textContent = str(resp.originRegionName);
}

function postingControls() {
  const youth = checkbox("f-youth", false);
  const track = el("select", { id: "f-track" },
    el("option", { value: "", text: t("anyTrack") }),
    TRACKS.map((v) => el("option", { value: v, text: t(`track_${v}`) })));
  const discharged = el("input", { id: "f-discharged-by", type: "date" });
  const available = el("input", { id: "f-available-by", type: "date" });
  const maxDistance = el("input", { id: "f-max-distance", type: "number", min: "0", step: "any", inputmode: "decimal" });
  const commute = checkbox("f-commute", true);
  const topK = el("input", { id: "f-top-k", type: "number", min: "1", max: "100", step: "1", value: "10" });

  const weights = {};
  const weightRows = WEIGHTS.map(([name, , labelKey]) => {
    const input = el("input", { id: `w-${name}`, type: "range", min: "0", max: "1", step: "0.05", value: "0.5" });
    const output = el("output", { id: `w-${name}-value`, for: input.id, text: t("wDefault") });
    weights[name] = { input, output, touched: false, server: null };
    return el("div", { class: "weight" }, el("label", { for: input.id, text: t(labelKey) }), input, output);
  });
  const reset = el("button", { id: "w-reset", type: "button", class: "secondary", text: t("wReset") });

  const form = el("form", { id: "controls", class: "card controls", "aria-label": t("controls") },
    el("fieldset", {}, el("legend", { text: t("filters") }),
      el("div", { class: "row" },
        field(t("fYouth"), youth, { inline: true }), field(t("fTrack"), track),
        field(t("fDischargedBy"), discharged), field(t("fAvailableBy"), available),
        field(t("fMaxDistance"), maxDistance), field(t("fCommute"), commute, { inline: true }),
        field(t("fTopK"), topK))),
    el("fieldset", {}, el("legend", { text: t("weights") }),
      el("div", { class: "weights" }, weightRows),
      el("div", { class: "row weight-actions" }, reset, el("button", { id: "controls-apply", type: "submit", text: t("rerank") }))));

  const showWeight = (w) => {
    if (w.touched) { w.output.textContent = fixed(w.input.value, 2); w.output.classList.add("set"); return; }
    w.output.classList.remove("set");
    w.output.textContent = w.server === null ? t("wDefault") : `${t("wDefault")} ${fixed(w.server, 2)}`;
  };
  let changed = () => {};
  const onInput = (e) => {
    const name = e.target.id.startsWith("w-") ? e.target.id.slice(2) : "";
    if (weights[name]) { weights[name].touched = true; showWeight(weights[name]); }
    changed();
  };
  form.addEventListener("input", onInput);
  form.addEventListener("change", (e) => { if (e.target.type !== "range") changed(); });
  reset.addEventListener("click", () => {
    Object.values(weights).forEach((w) => { w.touched = false; if (w.server !== null) w.input.value = String(w.server); showWeight(w); });
    changed();
  });

  return {
    form, youth, track, discharged, available, maxDistance, commute, topK, weights,
    onChange(fn) { changed = fn; },
    // Untouched sliders sit at the server's defaults, read from the answer's breakdown.
    showDefaults(first) {
      const score = first && first.score;
      for (const [name, field] of WEIGHTS) {
        const w = weights[name];
        if (score) w.server = num(score[field]);
        if (!w.touched && w.server !== null) w.input.value = String(w.server);
        showWeight(w);
      }
    },
  };
}

function candidatesRequest(postingId, c) {
  const options = {};
  const k = parseInt(c.topK.value, 10);
  options.topK = Number.isFinite(k) && k > 0 ? k : 10;
  const maxKm = parseFloat(c.maxDistance.value);
  if (c.maxDistance.value.trim() !== "" && Number.isFinite(maxKm)) options.maxDistanceKm = maxKm;
  if (!c.commute.checked) options.ignoreSeekerCommute = true;
  for (const [name, field] of WEIGHTS) {
    const w = c.weights[name];
    if (w.touched) options[field] = parseFloat(w.input.value);
  }
  const filter = {};
  if (c.youth.checked) filter.maxAge = 34;
  if (c.track.value) filter.educationTracks = [c.track.value];
  if (c.discharged.value) filter.dischargedBy = c.discharged.value;
  if (c.available.value) filter.availableBy = c.available.value;
  return { postingId, options, filter };
}

// `onRecorded(event)` is called after each outcome recorded from a row (the outcomes card reloads).
function renderShortlist(gen, postingId, resp, table, notice, recorded, onRecorded) {
  const candidates = list(resp.candidates);
  notice.replaceChildren();
  if (resp.nothingWithinReach) notice.append(el("p", { class: "notice", text: t("nothingWithinReach") }));
  if (!candidates.length) notice.append(el("p", { class: "empty", text: t("nothingMatched") }));
  const tbody = $("tbody", table);
  tbody.replaceChildren(...candidates.map((c, i) => candidateRow(gen, postingId, c, i + 1, recorded, onRecorded)));
}

function breakdown(score) {
  const s = score || {};
  const parts = [
    [t("bdSemantic"), num(s.semanticPart)],
    [t("bdLexical"), num(s.lexicalPart)],
    [t("bdGeo"), num(s.distancePart)],
    [t("bdSkills"), num(s.skillsScore)],
    [t("bdBoost"), num(s.boost)],
  ];
  return el("div", { class: "breakdown", title: t("bdTitle") },
    parts.map(([label, v]) => el("span", { text: `${label} ${v.toFixed(3)}` })));
}

function skillsAndReason(ex) {
  const e = ex || {};
  return [
    list(e.skillsMatched).length ? el("div", {}, el("span", { class: "skills-ok small", text: `${t("matched")}: ` }), chips(e.skillsMatched, "ok")) : null,
    list(e.skillsMissing).length ? el("div", {}, el("span", { class: "skills-missing small", text: `${t("missing")}: ` }), chips(e.skillsMissing, "miss")) : null,
    el("div", { class: "reason", text: str(e.reason) }),
  ];
}

function candidateRow(gen, postingId, c, rank, recorded, onRecorded) {
  const id = str(c.seekerId);
  const score = c.score || {};
  const tr = el("tr", { dataset: { seekerId: id } },
    el("td", { class: "num rank", text: String(rank) }),
    el("th", { scope: "row" },
      el("a", { href: hrefSeeker(id), text: str(c.displayName) || id }),
      c.headline ? el("div", { class: "muted small", text: str(c.headline) }) : null,
      c.beyondCommute ? el("span", { class: "badge beyond-commute", text: t("beyondCommute") }) : null),
    el("td", { class: "region", text: str(c.regionName) }),
    el("td", { class: "num distance", text: fixed(score.distanceKm, 1) }),
    el("td", { class: "num score" }, el("strong", { class: "final-score", text: fixed(score.finalScore, 3) }), breakdown(score)),
    el("td", { class: "skills" }, skillsAndReason(c.explanation), programmeToggle(c.programmes, `row-programmes-${rank}`)),
    el("td", { class: "outcome" }, outcomeCell(gen, postingId, id, recorded, onRecorded)));
  return tr;
}

function outcomeCell(gen, postingId, seekerId, recorded, onRecorded) {
  const buttons = el("div", { class: "outcomes" },
    OUTCOMES.map((o) => el("button", { type: "button", class: "secondary small-btn", dataset: { outcome: o }, text: t(`outcome_${o}`) })));
  const done = el("span", { class: "outcome-recorded", role: "status", text: recorded.get(seekerId) || "" });
  done.hidden = !recorded.has(seekerId);
  const cell = el("div", {}, buttons, done);
  buttons.addEventListener("click", (e) => {
    const b = e.target.closest("button[data-outcome]");
    if (!b) return;
    if (b.dataset.outcome === "rejected") openRejectForm(gen, postingId, seekerId, cell, recorded, onRecorded);
    else recordOutcome(gen, postingId, seekerId, b.dataset.outcome, "", cell, recorded, onRecorded);
  });
  return cell;
}

function openRejectForm(gen, postingId, seekerId, cell, recorded, onRecorded) {
  const existing = $(".reject-form", cell);
  if (existing) { $(".reject-reason", existing).focus(); return; }
  const inputId = `reject-reason-${seekerId.replace(/[^\w-]/g, "_")}`;
  const input = el("input", { id: inputId, class: "reject-reason", type: "text", autocomplete: "off", maxlength: "300" });
  const rowError = el("span", { class: "row-error", hidden: true });
  const form = el("form", { class: "reject-form", novalidate: true },
    el("label", { for: inputId, class: "small", text: t("rejectReason") }), input,
    el("button", { type: "submit", class: "reject-confirm small-btn", text: t("rejectConfirm") }),
    el("button", { type: "button", class: "reject-cancel secondary small-btn", text: t("cancel") }),
    rowError);
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const reason = input.value.trim();
    if (!reason) {
      // Required by the server for REJECTED: say so here without a round trip.
      showError(t("reasonRequired"));
      rowError.textContent = t("reasonRequired");
      rowError.hidden = false;
      input.setAttribute("aria-invalid", "true");
      input.focus();
      return;
    }
    recordOutcome(gen, postingId, seekerId, "rejected", reason, cell, recorded, onRecorded);
  });
  $(".reject-cancel", form).addEventListener("click", () => { form.remove(); $('button[data-outcome="rejected"]', cell).focus(); });
  cell.append(form);
  input.focus();
}

// Records one event; the list is not re-ranked, only this row changes (and the outcomes card,
// through `onRecorded`, reloads).
async function recordOutcome(gen, postingId, seekerId, outcome, reason, cell, recorded, onRecorded) {
  const key = `record-${seekerId}`;
  const buttons = $$("button", cell);
  clearError();
  buttons.forEach((b) => { b.disabled = true; });
  setBusy(key, true);
  const req = { postingId, seekerId, stage: `OUTCOME_STAGE_${outcome.toUpperCase()}` };
  if (reason) req.reason = reason;
  try {
    const resp = await api("RecordOutcome", req);
    if (!isCurrent(gen)) return;
    const text = t("recorded", { stage: t(`outcome_${outcome}`), seq: str(resp.sequence) || "0" });
    recorded.set(seekerId, text);
    // The row may have been re-rendered meanwhile: update whichever row shows this seeker now.
    const row = $(`#shortlist tbody tr[data-seeker-id="${CSS.escape(seekerId)}"]`);
    const target = row ? $(".outcome-recorded", row) : $(".outcome-recorded", cell);
    if (target) { target.textContent = text; target.hidden = false; }
    const form = row ? $(".reject-form", row) : $(".reject-form", cell);
    if (form) form.remove();
    // Before this row's busy key drops, so the view stays not-ready until the card shows it.
    if (onRecorded) {
      const link = $("th a", row || cell.closest("tr") || cell);
      onRecorded({
        seekerId, stage: req.stage, reason, date: todayIso(), sequence: str(resp.sequence) || "0",
        displayName: link ? link.textContent : "",
        recordedBy: str(state.me && state.me.name), recordedByRole: str(state.me && state.me.role),
      });
    }
  } catch (err) {
    if (isCurrent(gen)) handleError(err);
  } finally {
    buttons.forEach((b) => { b.disabled = false; });
    if (isCurrent(gen)) setBusy(key, false);
  }
}

/* ------------------------------------------------------------------ a posting's proposals and outcomes */

const ERASED_PREFIX = "erased:";

const roleLabel = (role) => {
  const r = str(role);
  return r && `role_${r}` in STRINGS.ko ? t(`role_${r}`) : r;
};

function postingOutcomesCard() {
  const table = el("table", { id: "posting-outcomes", "aria-labelledby": "posting-outcomes-h" },
    el("thead", {}, el("tr", {},
      [t("colSeeker"), t("colStage"), t("colDate"), t("colRecordedBy")].map((text) => el("th", { scope: "col", text })))),
    el("tbody"));
  const wrap = el("div", { class: "table-wrap" }, table);
  const empty = el("p", { id: "posting-outcomes-empty", class: "muted small", text: t("outcomesNone"), hidden: true });
  const failure = el("p", { id: "posting-outcomes-error", class: "advice-error muted small", hidden: true });
  const section = el("section", { id: "posting-outcomes-card", class: "card outcomes-card", "aria-labelledby": "posting-outcomes-h" },
    el("h2", { id: "posting-outcomes-h", text: t("outcomesTitle") }), failure, empty, wrap);
  return { section, table, wrap, empty, failure };
}

function postingOutcomeRow(o) {
  const id = str(o.seekerId);
  const stage = str(o.stage) || "OUTCOME_STAGE_UNSPECIFIED";
  const name = str(o.displayName);
  // A deleted seeker's events keep only a pseudonym: no name, no page to link to.
  const seeker = id.startsWith(ERASED_PREFIX)
    ? el("span", { class: "erased muted", text: t("erasedSeeker") })
    : el("a", { href: hrefSeeker(id), text: name || id });
  const role = roleLabel(o.recordedByRole);
  return el("tr", { dataset: { seekerId: id, stage } },
    el("th", { scope: "row", class: "seeker" }, seeker),
    el("td", { class: "stage" }, t(`stage_${stage}`), o.reason ? el("div", { class: "reason", text: str(o.reason) }) : null),
    el("td", { class: "date", text: str(o.date) }),
    el("td", { class: "recorded-by", text: [str(o.recordedBy), role ? `(${role})` : ""].filter(Boolean).join(" ") }));
}

function renderPostingOutcomes(card, outcomes, failed) {
  $("tbody", card.table).replaceChildren(...outcomes.map(postingOutcomeRow));
  card.wrap.hidden = outcomes.length === 0;
  card.empty.hidden = outcomes.length > 0 || failed;
}

// Loads the posting's outcomes (ListOutcomes, newest first) into its card; an answer to an
// older load is dropped. Events recorded on this page are shown until an answer lists them, so a
// proposal just made appears even when the log's answer lags behind. A failure stays in the card.
function makeOutcomesLoader(gen, postingId, card) {
  let seq = 0;
  const pending = []; // recorded here, oldest first, not yet in an answer
  const load = async () => {
    const my = ++seq;
    const stale = () => !isCurrent(gen) || my !== seq;
    setBusy("outcomes", true);
    try {
      const resp = await api("ListOutcomes", { postingId });
      if (stale()) return;
      const outcomes = list(resp.outcomes);
      const listed = new Set(outcomes.map((o) => str(o.sequence) || "0"));
      for (let i = pending.length - 1; i >= 0; i -= 1) if (listed.has(pending[i].sequence)) pending.splice(i, 1);
      card.failure.hidden = true;
      renderPostingOutcomes(card, [...pending.slice().reverse(), ...outcomes], false);
    } catch (err) {
      if (stale()) return;
      if (err instanceof ApiError && err.status === 401) { handleError(err); return; }
      card.failure.textContent = `${t("outcomesFailed")} ${describeError(err)}`;
      card.failure.hidden = false;
      renderPostingOutcomes(card, pending.slice().reverse(), true);
    }
    if (!stale()) setBusy("outcomes", false);
  };
  return {
    load,
    recorded(event) { pending.push(event); return load(); },
  };
}

function exportControls(gen, postingId, requestBody) {
  const resume = checkbox("export-resume", false);
  const button = el("button", { id: "export-csv", type: "button", class: "secondary", text: t("exportCsv") });
  const done = el("span", { class: "muted small", role: "status" });
  button.addEventListener("click", async () => {
    clearError();
    done.textContent = "";
    button.disabled = true;
    setBusy("export", true);
    try {
      const blob = await apiBlob(`/api/v1/export/shortlist.csv?include_resume=${resume.checked ? "true" : "false"}`, requestBody());
      if (!isCurrent(gen)) return;
      saveBlob(blob, `shortlist-${postingId}.csv`);
      done.textContent = t("exported");
    } catch (err) {
      if (isCurrent(gen)) handleError(err);
    } finally {
      button.disabled = false;
      if (isCurrent(gen)) setBusy("export", false);
    }
  });
  return el("div", { class: "export" }, field(t("exportResume"), resume, { inline: true }), button, done);
}

function saveBlob(blob, filename) {
  const url = URL.createObjectURL(blob);
  const a = el("a", { href: url, download: filename, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30000);
}

function drawCandidatesMap(mapWrap, resp, req, regions) {
  const candidates = list(resp.candidates);
  const opts = {
    kind: "posting",
    origin: resp.origin,
    label: t("mapLabelPosting", { n: candidates.length }),
    maxDistanceKm: req && req.options ? num(req.options.maxDistanceKm) : 0,
    markers: candidates.map((c, i) => ({
      id: str(c.seekerId), lat: c.home && c.home.lat, lon: c.home && c.home.lon, rank: i + 1, beyond: !!c.beyondCommute,
      tooltip: t("mapTooltipCandidate", { rank: i + 1, name: str(c.displayName) || str(c.seekerId), region: str(c.regionName), km: fixed(c.score && c.score.distanceKm, 1) }),
    })),
    commutes: candidates.filter((c) => num(c.maxCommuteKm) > 0)
      .map((c) => ({ id: str(c.seekerId), lat: c.home && c.home.lat, lon: c.home && c.home.lon, km: num(c.maxCommuteKm) })),
  };
  mapWrap.replaceChildren(drawMap(opts, regions), mapLegend("posting"));
}

/* ------------------------------------------------------------------ seeker page */

function renderSeeker(seekerId) {
  const { gen, body } = newView("seekerTitle");
  const h1 = pageHeading(seekerId);
  h1.id = "seeker-h1";
  const headline = el("p", { class: "muted" });
  const facts = el("ul", { class: "header-facts" });
  const skills = el("div", { class: "header-skills" });
  const resumeBox = el("div", { id: "resume", class: "resume", hidden: true });
  const resumeToggle = el("button", { id: "show-resume", type: "button", class: "secondary small-btn", "aria-expanded": "false", "aria-controls": "resume", text: t("showResume") });
  const header = el("section", { class: "card", "aria-labelledby": "seeker-h1" }, h1, headline, facts, skills, el("p", {}, resumeToggle), resumeBox);

  const certified = checkbox("pf-certified", false);
  const form = el("form", { id: "posting-controls", class: "card controls", "aria-label": t("controls") },
    el("div", { class: "row" }, field(t("pfCertified"), certified, { inline: true }),
      el("button", { type: "submit", class: "secondary small-btn", text: t("rerank") })));
  const notice = el("div", { id: "postings-notice" });
  const table = rankTable("postings", [
    [t("colRank"), "num"], [t("colTitle")], [t("colCompany")], [t("colRegion")], [t("colDistance"), "num"], [t("colScore"), "num"], [t("colReason")],
  ], t("postingsTitle"));
  const gaps = el("section", { id: "skill-gaps", class: "card advice", "aria-label": t("seekerAdvice") });
  const mapWrap = el("div", { class: "map-wrap" });
  body.append(header,
    el("div", { class: "split" },
      el("div", { class: "split-main" }, form,
        el("section", { "aria-label": t("postingsTitle") }, el("h2", { text: t("postingsTitle") }), notice, el("div", { class: "table-wrap" }, table)), gaps),
      mapWrap));
  wireHighlight(table, mapWrap, "data-posting-id");

  let gapsLoaded = false;
  const ranker = makeRanker(gen, "rank",
    () => Promise.all([api("RecommendPostings", postingsRequest(seekerId, certified)), loadRegions()]),
    ([resp, regions]) => {
      renderPostingRows(resp, table, notice);
      updateSeekerRegion(facts, resp);
      drawPostingsMap(mapWrap, seekerId, resp, regions);
      if (!gapsLoaded) { gapsLoaded = true; loadSkillGaps(gen, seekerId, gaps); }
    });
  form.addEventListener("change", () => ranker.schedule());
  form.addEventListener("submit", (e) => { e.preventDefault(); ranker.now(); });

  loadSeekerHeader(gen, seekerId, { h1, headline, facts, skills, resumeBox, resumeToggle }).then((ok) => {
    if (!isCurrent(gen)) return;
    if (ok) ranker.now(); else { form.hidden = true; resumeToggle.hidden = true; }
    setBusy("render", false);
  });
}

function postingsRequest(seekerId, certified) {
  const req = { seekerId, options: { topK: 10 }, filter: {} };
  if (certified.checked) req.filter.certifiedOnly = true;
  return req;
}

async function loadSeekerHeader(gen, seekerId, parts) {
  let s;
  try {
    s = await api("GetSeeker", { id: seekerId });
  } catch (err) {
    if (isCurrent(gen)) handleError(err);
    return false;
  }
  if (!isCurrent(gen)) return false;
  parts.h1.textContent = str(s.displayName) || seekerId;
  document.title = `${parts.h1.textContent} · ${t("appTitle")}`;
  parts.headline.textContent = [str(s.headline), `ID ${str(s.id) || seekerId}`].filter(Boolean).join(" · ");
  const commute = num(s.maxCommuteKm) > 0 ? t("commuteKm", { km: fixed(s.maxCommuteKm, 1) }) : t("notStated");
  appendAll(parts.facts, [
    el("li", { class: "region-fact" }, el("span", { class: "muted", text: `${t("region")}: ` }), el("span", { class: "region-value", text: locationRegion(s.home) || "…" })),
    fact(t("commute"), commute),
    fact(t("track"), t(`track_${s.educationTrack || "EDUCATION_TRACK_UNSPECIFIED"}`)),
    s.birthYear ? fact(t("birthYear"), String(s.birthYear)) : null,
    s.availableFrom ? fact(t("availableFrom"), str(s.availableFrom)) : null,
    s.dischargeDate ? fact(t("dischargeDate"), str(s.dischargeDate)) : null]);
  if (list(s.skills).length) parts.skills.append(el("span", { class: "muted small", text: `${t("seekerSkills")}:` }), chips(s.skills));
  wireResumeToggle(parts.resumeToggle, parts.resumeBox, str(s.resume));
  return true;
}

// The resume is personal data: it enters the page only when the counsellor asks for it.
function wireResumeToggle(button, box, resume) {
  button.addEventListener("click", () => {
    const show = box.hidden;
    box.replaceChildren();
    if (show) box.textContent = resume || t("noResume");
    box.hidden = !show;
    button.setAttribute("aria-expanded", show ? "true" : "false");
    button.textContent = show ? t("hideResume") : t("showResume");
  });
}

function updateSeekerRegion(facts, resp) {
  const v = $(".region-value", facts);
  if (v && resp.originRegionName && (v.textContent === "…" || !v.textContent)) v.textContent = str(resp.originRegionName);
}

function renderPostingRows(resp, table, notice) {
  const postings = list(resp.postings);
  notice.replaceChildren();
  if (resp.nothingWithinReach) notice.append(el("p", { class: "notice", text: t("nothingWithinReachPostings") }));
  if (!postings.length) notice.append(el("p", { class: "empty", text: t("noPostings") }));
  $("tbody", table).replaceChildren(...postings.map((p, i) => {
    const id = str(p.postingId);
    const score = p.score || {};
    return el("tr", { dataset: { postingId: id } },
      el("td", { class: "num rank", text: String(i + 1) }),
      el("th", { scope: "row" }, el("a", { href: hrefPosting(id), text: str(p.title) || id }),
        p.beyondCommute ? el("span", { class: "badge beyond-commute", text: t("beyondCommute") }) : null),
      el("td", { class: "company", text: str(p.companyName) }),
      el("td", { class: "region", text: str(p.regionName) }),
      el("td", { class: "num distance", text: fixed(score.distanceKm, 1) }),
      el("td", { class: "num score" }, el("strong", { class: "final-score", text: fixed(score.finalScore, 3) }), breakdown(score)),
      el("td", { class: "skills" }, skillsAndReason(p.explanation)));
  }));
}

function drawPostingsMap(mapWrap, seekerId, resp, regions) {
  const postings = list(resp.postings);
  const origin = resp.origin;
  const opts = {
    kind: "seeker",
    origin,
    label: t("mapLabelSeeker", { n: postings.length }),
    maxDistanceKm: 0,
    markers: postings.map((p, i) => ({
      id: str(p.postingId), lat: p.workplace && p.workplace.lat, lon: p.workplace && p.workplace.lon, rank: i + 1, beyond: !!p.beyondCommute,
      tooltip: t("mapTooltipPosting", { rank: i + 1, title: str(p.title) || str(p.postingId), company: str(p.companyName), km: fixed(p.score && p.score.distanceKm, 1) }),
    })),
    commutes: num(resp.maxCommuteKm) > 0 && hasLoc(origin)
      ? [{ id: seekerId, lat: origin.lat, lon: origin.lon, km: num(resp.maxCommuteKm) }] : [],
  };
  mapWrap.replaceChildren(drawMap(opts, regions), mapLegend("seeker"));
}

// Optional advice, loaded after the list; its failure stays inside its own box. One
// AdviseSeeker call fills the skill gaps, interview questions, completeness and programmes.
async function loadSkillGaps(gen, seekerId, box) {
  box.replaceChildren(el("h3", { text: t("skillGaps") }), el("p", { class: "status", text: t("loading") }));
  let resp;
  try {
    resp = await api("AdviseSeeker", { seekerId });
  } catch (err) {
    if (!isCurrent(gen)) return;
    box.replaceChildren(el("h3", { text: t("skillGaps") }), adviceFailure(err));
    return;
  }
  if (!isCurrent(gen)) return;
  box.replaceChildren(
    el("div", { class: "advice-section skill-gap-block" }, skillGapBlock(resp)),
    el("div", { class: "advice-grid" },
      adviceSection("interview-prep", t("interviewPrep"), interviewList(resp.interview), "wide"),
      adviceSection("seeker-completeness", t("seekerCompleteness"), completenessList(resp.completeness)),
      adviceSection("seeker-programmes", t("programmes"), programmeList(resp.programmes))));
}

function skillGapBlock(resp) {
  const gaps = list(resp.skillGaps);
  return [el("h3", { text: t("skillGaps") }),
    gaps.length
      ? el("ul", { class: "gap-list" }, gaps.map((g) => el("li", { dataset: { skill: str(g.skill) },
        text: t("skillGapItem", { skill: str(g.skill), asked: num(g.askedBy), opens: list(g.opensPostingIds).length }) })))
      : el("p", { class: "muted", text: t("skillGapsNone") }),
    resp.postingsConsidered ? el("p", { class: "muted small", text: t("postingsConsidered", { n: num(resp.postingsConsidered) }) }) : null];
}

/* ------------------------------------------------------------------ region plan */

function renderRegion() {
  const { gen, body } = newView("navRegion");
  const me = state.me || {};
  const input = el("input", { id: "region-input", type: "text", autocomplete: "off", value: list(me.regionNames)[0] || "경기도" });
  const k = el("input", { id: "region-k", type: "number", min: "1", step: "1", value: "2" });
  const maxLists = el("input", { id: "region-max-lists", type: "number", min: "1", step: "1", value: "1" });
  const commute = checkbox("region-commute", true);
  const form = el("form", { id: "region-form", class: "card", novalidate: true },
    el("div", { class: "row" },
      field(t("regionInput"), input), field(t("regionK"), k), field(t("regionMaxLists"), maxLists),
      field(t("regionCommute"), commute, { inline: true }),
      el("div", { class: "field" }, el("button", { id: "region-run", type: "submit", text: t("regionRun") }))));
  const summary = el("div", { id: "region-summary" });
  const plan = el("div", { id: "region-plan" });
  body.append(pageHeading(t("regionTitle")), el("p", { class: "muted", text: t("regionIntro") }), form, summary, plan);

  let seq = 0;
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    clearError();
    const regions = input.value.split(",").map((s) => s.trim()).filter(Boolean);
    if (!regions.length) { showError(t("regionNeedInput")); input.focus(); return; }
    const req = {
      regions,
      k: Math.max(1, parseInt(k.value, 10) || 2),
      maxListsPerSeeker: Math.max(1, parseInt(maxLists.value, 10) || 1),
      options: commute.checked ? {} : { ignoreSeekerCommute: true },
    };
    const my = ++seq;
    setBusy("plan", true);
    try {
      const resp = await api("MatchRegion", req);
      if (!isCurrent(gen) || my !== seq) return;
      renderPlanSummary(summary, resp);
      renderPlanLists(plan, resp);
    } catch (err) {
      if (!isCurrent(gen) || my !== seq) return;
      handleError(err);
    }
    if (isCurrent(gen) && my === seq) setBusy("plan", false);
  });
  setBusy("render", false); // the plan runs only on request
}

function renderPlanSummary(box, resp) {
  const plan = resp.plan || {}, greedy = resp.greedy || {};
  const rows = [
    ["totalScore", (v) => fixed(v, 3)],
    ["distinctSeekers", (v) => String(num(v))],
    ["emptyLists", (v) => String(num(v))],
    ["shortLists", (v) => String(num(v))],
  ];
  box.replaceChildren(el("h2", { text: t("regionSummary") }),
    el("table", {},
      el("thead", {}, el("tr", {},
        el("th", { scope: "col", text: t("metric") }), el("th", { scope: "col", class: "num", text: t("plan") }), el("th", { scope: "col", class: "num", text: t("greedy") }))),
      el("tbody", {}, rows.map(([key, fmt]) => el("tr", { dataset: { metric: key } },
        el("th", { scope: "row", text: t(key) }),
        el("td", { class: "num plan", text: fmt(plan[key]) }),
        el("td", { class: "num greedy", text: fmt(greedy[key]) }))))));
}

function renderPlanLists(box, resp) {
  const lists = list(resp.shortlists);
  if (!lists.length) { box.replaceChildren(el("p", { class: "empty", text: t("regionNoPostings") })); return; }
  box.replaceChildren(...lists.map((s) => {
    const id = str(s.postingId);
    const candidates = list(s.candidates);
    return el("section", { dataset: { postingId: id }, "aria-label": str(s.title) || id },
      el("h3", {}, el("a", { href: hrefPosting(id), text: str(s.title) || id }), " ",
        el("span", { class: "muted small", text: t("listSize", { n: candidates.length, size: num(s.size) }) })),
      candidates.length
        ? el("ol", {}, candidates.map((c) => el("li", { dataset: { seekerId: str(c.seekerId) } },
          el("a", { href: hrefSeeker(str(c.seekerId)), text: str(c.displayName) || str(c.seekerId) }), " ",
          el("span", { class: "final-score", text: fixed(c.score && c.score.finalScore, 3) }),
          c.beyondCommute ? [" ", el("span", { class: "badge", text: t("beyondCommute") })] : null,
          el("div", { class: "reason", text: str(c.explanation && c.explanation.reason) }))))
        : el("p", { class: "muted", text: t("emptyList") }));
  }));
}

/* ------------------------------------------------------------------ figures */

const FIGURES = [
  ["placements", "count"], ["seekersPlaced", "count"], ["companies", "count"], ["events", "count"],
  ["shareAged34OrYounger", "share"], ["shareManufacturing", "share"], ["shareCertifiedCompany", "share"],
  ["medianDistanceKm", "km"],
];

function formatFigure(v, kind) {
  if (kind === "share") return `${(num(v) * 100).toFixed(1)} %`;
  if (kind === "km") return `${num(v).toFixed(1)} km`;
  return String(Math.round(num(v)));
}

function renderFigures() {
  const { gen, body } = newView("navFigures");
  const year = new Date().getFullYear();
  const from = el("input", { id: "fig-from", type: "date", value: `${year}-01-01` });
  const to = el("input", { id: "fig-to", type: "date", value: todayIso() });
  const form = el("form", { id: "fig-form", class: "card" },
    el("div", { class: "row" }, field(t("figFrom"), from), field(t("figTo"), to),
      el("div", { class: "field" }, el("button", { id: "fig-run", type: "submit", text: t("figRun") }))));
  const cards = el("div", { id: "fig-cards", class: "figure-cards" },
    FIGURES.map(([key]) => el("div", { class: "figure-card", dataset: { figure: key } },
      el("div", { class: "label", text: t(`fig_${key}`) }), el("div", { class: "value", text: "–" }))));
  const months = el("div", { class: "chart card" }, el("h2", { text: t("figMonths") }));
  const stages = el("div", { class: "chart card" }, el("h2", { text: t("figStages") }));
  const people = peopleCard();
  body.append(pageHeading(t("figuresTitle")), form, cards, el("div", { class: "charts" }, months, stages),
    people.section, auditCard(gen));

  const ranker = makeRanker(gen, "figures",
    () => api("CentreFigures", { from: from.value || "", to: to.value || "" }),
    (resp) => {
      for (const [key, kind] of FIGURES) $(`[data-figure="${key}"] .value`, cards).textContent = formatFigure(resp[key], kind);
      replaceChart(months, barChart("fig-months", t("figMonths"),
        list(resp.placementsByMonth).map((m) => ({ label: str(m.month), value: num(m.placements) }))));
      replaceChart(stages, barChart("fig-stages", t("figStages"),
        list(resp.stages).map((s) => ({ label: t(`stage_${s.stage || "OUTCOME_STAGE_UNSPECIFIED"}`), value: num(s.pairs) }))));
      renderPeople(people, list(resp.people));
    });
  form.addEventListener("submit", (e) => { e.preventDefault(); ranker.now(); });
  ranker.now();
  setBusy("render", false);
}

/* ------------------------------------------------------------------ figures: people */

// Per person: the rankings they viewed beside the seekers they proposed (a counsellor: own line).
function peopleCard() {
  const cols = [[t("colName")], [t("colRole")], [t("colRankingsViewed"), "num"], [t("colSeekersShown"), "num"], [t("colProposals"), "num"]];
  const table = el("table", { id: "fig-people", "aria-labelledby": "fig-people-h" },
    el("thead", {}, el("tr", {}, cols.map(([text, cls]) => el("th", { scope: "col", class: cls, text })))),
    el("tbody"));
  const wrap = el("div", { class: "table-wrap" }, table);
  const empty = el("p", { id: "fig-people-empty", class: "muted small", text: t("peopleNone"), hidden: true });
  const ownOnly = state.me && state.me.role === "counsellor"
    ? el("p", { class: "muted small", text: t("peopleOwnOnly") }) : null;
  const section = el("section", { id: "fig-people-card", class: "card people-card", "aria-labelledby": "fig-people-h" },
    el("h2", { id: "fig-people-h", text: t("peopleTitle") }), ownOnly, empty, wrap);
  return { section, table, wrap, empty };
}

function renderPeople(card, people) {
  $("tbody", card.table).replaceChildren(...people.map((p) => el("tr", { dataset: { person: str(p.name) } },
    el("th", { scope: "row", class: "name", text: str(p.name) }),
    el("td", { class: "role", text: roleLabel(p.role) }),
    el("td", { class: "num rankings-viewed", text: String(num(p.rankingsViewed)) }),
    el("td", { class: "num seekers-shown", text: String(num(p.seekersShown)) }),
    el("td", { class: "num proposals", text: String(num(p.proposals)) }))));
  card.wrap.hidden = people.length === 0;
  card.empty.hidden = people.length > 0;
}

/* ------------------------------------------------------------------ figures: exposure audit */

// Aggregates per group of seekers only: nothing here names or links to a person.
const AUDIT_SOURCES = ["ranking", "plan", "outcomes"];
const AUDIT_DIMENSIONS = ["age_band", "education_track", "military_status", "home_region", "commute"];

// A translated label when the key is known, else the server's word as it is.
const labelOr = (key, raw) => (key in STRINGS.ko ? t(key) : raw);

function auditCard(gen) {
  const k = el("input", { id: "audit-k", type: "number", min: "1", max: "100", step: "1", value: "10", inputmode: "numeric" });
  const plan = checkbox("audit-plan", false);
  const run = el("button", { id: "audit-run", type: "submit", text: t("auditRun") });
  const form = el("form", { id: "audit-form", novalidate: true },
    el("div", { class: "row" }, field(t("auditK"), k), field(t("auditPlan"), plan, { inline: true }),
      el("div", { class: "field" }, run)));
  const result = el("div", { id: "audit-result", "aria-live": "polite" });
  let seq = 0;
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    clearError();
    const kv = parseInt(k.value, 10);
    const req = { k: Number.isFinite(kv) ? Math.min(100, Math.max(1, kv)) : 10, includePlan: plan.checked };
    k.value = String(req.k);
    const my = ++seq;
    const stale = () => !isCurrent(gen) || my !== seq;
    setBusy("audit", true);
    try {
      const resp = await api("ExposureAudit", req);
      if (stale()) return;
      renderAudit(result, resp);
    } catch (err) {
      if (stale()) return;
      handleError(err);
    }
    if (!stale()) setBusy("audit", false);
  });
  return el("section", { id: "audit", class: "card audit", "aria-labelledby": "audit-h" },
    el("h2", { id: "audit-h", text: t("auditTitle") }),
    el("p", { class: "muted small", text: t("auditIntro") }), form, result);
}

function renderAudit(box, resp) {
  const minGroup = num(resp.minGroupSeekers);
  box.replaceChildren();
  appendAll(box, [
    el("p", { class: "audit-summary", text: t("auditSummary", {
      audited: num(resp.postingsAudited), total: num(resp.postingsTotal), seekers: num(resp.seekers), k: num(resp.k) }) }),
    resp.qualified ? el("p", { class: "audit-qualified muted small", text: t("auditQualified", { text: str(resp.qualified) }) }) : null,
    minGroup ? el("p", { class: "audit-min-group muted small", text: t("auditMinGroup", { n: minGroup }) }) : null,
    list(resp.tables).map(auditTable),
    list(resp.notes).map((n) => el("p", { class: "audit-note muted small", text: str(n) }))]);
}

const pct = (v) => (num(v) * 100).toFixed(1);

function auditTable(table) {
  const source = str(table.source);
  const ofSource = (key) => labelOr(`${key}_${source}`, t(`${key}_ranking`));
  const order = (g) => { const i = AUDIT_DIMENSIONS.indexOf(str(g.dimension)); return i < 0 ? AUDIT_DIMENSIONS.length : i; };
  // Dimensions in a fixed order; within one, the server's order.
  const groups = list(table.groups).map((g, i) => [g, i]).sort(([a, i], [b, j]) => order(a) - order(b) || i - j).map(([g]) => g);
  const cols = [[t("colDimension")], [t("colGroup")], [t("colSeekers"), "num"], [ofSource("colPairs"), "num"],
    [ofSource("colExposed"), "num"], [t("colRate"), "num"], [t("colImpactRatio"), "num"]];
  const caption = `${AUDIT_SOURCES.includes(source) ? t(`audit_${source}`) : source} · ${t("auditPostings", { n: num(table.postings) })}`;
  return el("div", { class: "table-wrap audit-table-wrap" },
    el("table", { id: `audit-${source}`, class: "audit-table", dataset: { source } },
      el("caption", { text: caption }),
      el("thead", {}, el("tr", {}, cols.map(([text, cls]) => el("th", { scope: "col", class: cls, text })))),
      el("tbody", {}, groups.map(auditRow))),
    groups.length ? null : el("p", { class: "muted small", text: t("auditNoGroups") }));
}

// Rates as percentages (one decimal), impact ratios as numbers (two decimals), each with its 95 % interval.
function auditRow(g) {
  const dimension = str(g.dimension), group = str(g.group);
  const suppressed = !!g.suppressed;
  const flagged = !!g.flagged && !suppressed;
  const tooFew = () => el("span", { class: "suppressed", text: t("auditSuppressed") });
  const rate = suppressed ? tooFew() : `${pct(g.rate)} % [${pct(g.rateLow)}–${pct(g.rateHigh)}]`;
  // No ratio when every rate of the dimension is 0 (nothing to compare with): the server sends 0, unflagged.
  const noRatio = !flagged && num(g.impactRatio) === 0 && num(g.impactRatioHigh) === 0;
  const ratio = suppressed ? tooFew()
    : [noRatio ? "–" : `${fixed(g.impactRatio, 2)} [${fixed(g.impactRatioLow, 2)}–${fixed(g.impactRatioHigh, 2)}]`,
      flagged ? el("span", { class: "flag", text: t("auditFlag") }) : null];
  return el("tr", { class: flagged ? "flagged" : undefined, dataset: { dimension, group } },
    el("td", { class: "dimension", text: labelOr(`dim_${dimension}`, dimension) }),
    el("th", { scope: "row", class: "group", text: labelOr(`grp_${group}`, group) }),
    el("td", { class: "num seekers", text: String(num(g.seekers)) }),
    el("td", { class: "num pairs", text: String(num(g.pairs)) }),
    el("td", { class: "num exposed", text: String(num(g.exposed)) }),
    el("td", { class: "num rate" }, rate),
    el("td", { class: "num impact-ratio" }, ratio));
}

function replaceChart(box, svg) {
  const old = $("svg", box);
  if (old) old.replaceWith(svg); else box.append(svg);
}

// A plain vertical bar chart; each bar has a <title> and its value and label as text.
function barChart(id, label, items) {
  const W = 520, H = 240, left = 36, right = 8, top = 20, bottom = 46;
  const svg = svgEl("svg", { id, role: "img", "aria-label": label, viewBox: `0 0 ${W} ${H}` }, svgEl("title", { text: label }));
  if (!items.length) {
    svg.append(svgEl("text", { x: W / 2, y: H / 2, "text-anchor": "middle", class: "no-data", text: t("noData") }));
    return svg;
  }
  const max = Math.max(1, ...items.map((i) => i.value));
  const plotW = W - left - right, plotH = H - top - bottom;
  const slot = plotW / items.length;
  const barW = Math.max(4, Math.min(48, slot * 0.7));
  svg.append(svgEl("line", { x1: left, y1: top + plotH, x2: W - right, y2: top + plotH, stroke: "#9aa3ad" }));
  svg.append(svgEl("text", { x: left - 4, y: top + 4, "text-anchor": "end", text: String(max) }));
  svg.append(svgEl("text", { x: left - 4, y: top + plotH, "text-anchor": "end", text: "0" }));
  const rotate = items.length > 8; // long month lists: slanted labels so they do not collide
  items.forEach((item, i) => {
    const h = (item.value / max) * plotH;
    const cx = left + slot * i + slot / 2;
    const x = cx - barW / 2, y = top + plotH - h;
    svg.append(svgEl("g", { class: "bar-group" },
      svgEl("rect", { class: "bar", x: fixed(x, 1), y: fixed(y, 1), width: fixed(barW, 1), height: fixed(Math.max(h, 0), 1), "data-label": item.label, "data-value": item.value },
        svgEl("title", { text: `${item.label}: ${item.value}` })),
      svgEl("text", { class: "bar-value", x: fixed(cx, 1), y: fixed(y - 4, 1), "text-anchor": "middle", text: String(item.value) }),
      svgEl("text", rotate
        ? { class: "bar-label", x: fixed(cx, 1), y: top + plotH + 12, "text-anchor": "end", transform: `rotate(-40 ${fixed(cx, 1)} ${top + plotH + 12})`, text: item.label }
        : { class: "bar-label", x: fixed(cx, 1), y: top + plotH + 16, "text-anchor": "middle", text: item.label })));
  });
  return svg;
}

/* ------------------------------------------------------------------ go */

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
