//! The advice services' pure parts on hand-made records.

use super::*;
use crate::domain::{EducationTrack, GeoPoint, LocationInput, Place};
use crate::programmes::*;

fn place(sido: &str) -> Place {
    Place {
        input: LocationInput::Region(sido.into()),
        point: GeoPoint {
            lat: 37.2,
            lon: 127.0,
        },
        region_code: format!("{sido}000"),
        sido_code: sido.into(),
        region_name: format!("sido {sido}"),
    }
}

fn posting(id: &str, skills: &[&str]) -> Posting {
    Posting {
        id: id.into(),
        company_id: "c1".into(),
        company_name: "(주)대성정밀".into(),
        title: "CNC 선반 가공원".into(),
        description: "자동차 부품을 CNC 선반으로 가공합니다. 도면을 읽고 측정기로 치수를 확인하며, 주간 2교대로 근무하고 입사 후 3개월 동안 현장 교육을 합니다.".into(),
        skills: skills.iter().map(|s| s.to_string()).collect(),
        place: place("41"),
        openings: 1,
        sector: "manufacturing".into(),
        employment_type: EmploymentType::FullTime,
        certified_company: true,
    }
}

fn seeker() -> Seeker {
    Seeker {
        id: "s1".into(),
        display_name: "김민수".into(),
        headline: "CNC 선반".into(),
        resume: "특성화고 기계과를 졸업했고 현장실습 여섯 달 동안 CNC 선반으로 자동차 부품을 가공했습니다. 도면을 읽고 버니어캘리퍼스로 치수를 확인했습니다.".into(),
        skills: vec!["CNC 선반".into()],
        home: place("41"),
        max_commute_km: Some(30.0),
        education_track: EducationTrack::SpecialisedHighSchool,
        birth_year: Some(2005),
        available_from: Some("2027-01-01".into()),
        discharge_date: None,
        interests: None,
    }
}

const TODAY: Today = Today {
    year: 2026,
    date: "2026-12-01",
};

fn programme(toml_conditions: &str) -> Programmes {
    let text = format!(
        "[[programme]]\nid='p'\nname='시험 사업'\nkind='employer_subsidy'\nsummary='s'\n\
         source='https://www.work24.go.kr'\nrules_read=2025\n{toml_conditions}"
    );
    Programmes::parse(&text, "test").unwrap()
}

/// The one fit of a one-programme file: `None` when neither met nor a near miss.
fn fit(conditions: &str, s: Option<&Seeker>, p: Option<&Posting>) -> Option<ProgrammeFit> {
    programme(conditions)
        .fits(s, p, TODAY, Language::English)
        .pop()
}

/// `fit` is met (`failure` None) or fails exactly the condition whose description holds `failure`.
fn assert_fit(conditions: &str, fit: &ProgrammeFit, failure: Option<&str>) {
    match failure {
        None => assert!(fit.eligible(), "{conditions}: {:?}", fit.failed_condition),
        Some(text) => assert!(
            fit.failed_condition
                .as_deref()
                .is_some_and(|f| f.contains(text)),
            "{conditions}: {:?}",
            fit.failed_condition
        ),
    }
}

#[test]
fn the_shipped_files_parse() {
    assert!(!Programmes::builtin().list.is_empty());
    assert!(Programmes::builtin()
        .list
        .iter()
        .all(|p| p.verify_before_use && p.source.starts_with("https://")));
    let bank = QuestionBank::builtin();
    assert!(bank
        .questions
        .iter()
        .any(|q| q.family == interview::GENERAL_FAMILY));
    assert!(bank.questions.iter().any(|q| q.family == "welding"));
}

#[test]
fn every_seeker_condition_is_met_or_named_when_it_fails() {
    let s = seeker(); // 21 this year, specialised high school, no discharge date
    for (conditions, failure) in [
        ("[programme.seeker]\nmin_age=15\nmax_age=34", None),
        ("[programme.seeker]\nmax_age=20", Some("age: 21 this year")),
        ("[programme.seeker]\nmin_age=25", Some("age: 21 this year")),
        (
            "[programme.seeker]\neducation_tracks=['specialised_high_school']",
            None,
        ),
        (
            "[programme.seeker]\neducation_tracks=['junior_college']",
            Some("education track: specialised_high_school"),
        ),
        (
            "[programme.seeker]\nmilitary='serving'",
            Some("no discharge date recorded"),
        ),
    ] {
        let fit = fit(conditions, Some(&s), None).expect(conditions);
        assert_fit(conditions, &fit, failure);
    }
    let serving = Seeker {
        discharge_date: Some("2027-03-01".into()),
        ..seeker()
    };
    let discharged = Seeker {
        discharge_date: Some("2026-03-01".into()),
        ..seeker()
    };
    assert!(fit(
        "[programme.seeker]\nmilitary='serving'",
        Some(&serving),
        None
    )
    .unwrap()
    .eligible());
    assert!(fit(
        "[programme.seeker]\nmilitary='discharged'",
        Some(&discharged),
        None
    )
    .unwrap()
    .eligible());
    assert!(fit(
        "[programme.seeker]\nmilitary='serving'",
        Some(&discharged),
        None
    )
    .unwrap()
    .failed_condition
    .unwrap()
    .contains("already discharged"));
    let unknown_age = Seeker {
        birth_year: None,
        ..seeker()
    };
    assert!(
        fit("[programme.seeker]\nmax_age=34", Some(&unknown_age), None)
            .unwrap()
            .failed_condition
            .unwrap()
            .contains("birth year is not recorded")
    );
}

#[test]
fn every_posting_condition_is_met_or_named_when_it_fails() {
    let p = posting("p1", &[]); // full-time, certified, manufacturing, sido 41
    for (conditions, failure) in [
        ("[programme.posting]\nemployment_types=['full_time']", None),
        (
            "[programme.posting]\nemployment_types=['internship']",
            Some("employment type: full_time"),
        ),
        ("[programme.posting]\ncertified_company=true", None),
        ("[programme.posting]\nmanufacturing=true", None),
        (
            "[programme.posting]\nmanufacturing=false",
            Some("manufacturing is excluded"),
        ),
        ("[programme.posting]\nsido=['41','11']", None),
        (
            "[programme.posting]\nsido=['26']",
            Some("sido 41 is not among 26"),
        ),
        (
            "[programme.posting]\nexcluded_sido=['11','28','41']",
            Some("sido 41 is excluded"),
        ),
    ] {
        let fit = fit(conditions, None, Some(&p)).expect(conditions);
        assert_fit(conditions, &fit, failure);
    }
    let uncertified = Posting {
        certified_company: false,
        ..p
    };
    assert_eq!(
        fit(
            "[programme.posting]\ncertified_company=true",
            None,
            Some(&uncertified)
        )
        .unwrap()
        .failed_condition
        .as_deref(),
        Some("company: not a certified company")
    );
}

#[test]
fn two_failed_conditions_are_no_near_miss_and_an_absent_side_is_not_judged() {
    let conditions = "[programme.seeker]\nmax_age=20\n[programme.posting]\nsido=['26']";
    assert!(fit(conditions, Some(&seeker()), Some(&posting("p1", &[]))).is_none());
    // Only the posting side: one failure, a near miss naming it.
    let near = fit(conditions, None, Some(&posting("p1", &[]))).unwrap();
    assert!(near.failed_condition.unwrap().contains("sido 41"));
}

#[test]
fn a_bad_programmes_file_names_the_problem() {
    let bad = Programmes::parse(
        "[[programme]]\nid='p'\nname='n'\nkind='k'\nsummary='s'\nsource='x'\nrules_read=2025\n\
         [programme.seeker]\neducation_tracks=['graduate_school']",
        "f.toml",
    )
    .unwrap_err()
    .to_string();
    assert!(
        bad.contains("'graduate_school' is not an education track"),
        "{bad}"
    );
    let unknown = Programmes::parse(
        "[[programme]]\nid='p'\nname='n'\nkind='k'\nsummary='s'\nsource='x'\nrules_read=2025\n\
         [programme.seeker]\nincome_max=3",
        "f.toml",
    )
    .unwrap_err()
    .to_string();
    assert!(unknown.contains("income_max"), "{unknown}");
}

#[test]
fn skills_the_neighbours_ask_for_are_counted_once_per_posting() {
    let vocabulary = Vocabulary::builtin();
    let draft = posting("draft", &["CNC 선반"]);
    let neighbours = [
        posting("n1", &["CNC 선반", "도면 해독", "측정기 사용"]),
        posting("n2", &["CNC lathe", "blueprint reading"]),
        posting("n3", &["도면 해독", "도면 이해", "MCT"]),
    ];
    let suggestions = skills_to_add(&draft, &neighbours, &vocabulary);
    assert_eq!(suggestions[0].skill, "도면 해독");
    assert_eq!((suggestions[0].asked_by, suggestions[0].out_of), (3, 3));
    assert_eq!(suggestions[0].posting_ids, ["n1", "n2", "n3"]);
    assert!(suggestions
        .iter()
        .all(|s| vocabulary.key(&s.skill) != vocabulary.key("CNC 선반")));
    assert_eq!(suggestions.len(), 3); // 도면 해독, 측정기 사용, MCT
}

#[test]
fn the_market_counts_matches_within_reach_and_the_effect_of_dropping_each_skill() {
    let skills = vec!["CNC 선반".to_string(), "도면 해독".to_string()];
    let matches = vec![
        (false, vec![]),
        (false, vec!["도면 해독".to_string()]),
        (false, vec!["도면 해독".to_string()]),
        (false, vec!["CNC 선반".to_string(), "도면 해독".to_string()]),
        (true, vec![]), // beyond the seeker's commute: not in the market
    ];
    let m = market(&skills, &matches, 5);
    assert_eq!((m.seekers_matching, m.seekers_with_all_skills), (4, 1));
    assert_eq!(
        m.if_dropped,
        vec![("CNC 선반".to_string(), 1), ("도면 해독".to_string(), 3)]
    );
}

#[test]
fn the_skill_that_opens_most_postings_comes_first() {
    let vocabulary = Vocabulary::builtin();
    let postings = vec![
        ("a".to_string(), vec!["용접기능사".to_string()]),
        ("b".to_string(), vec!["welding craftsman".to_string()]),
        (
            "c".to_string(),
            vec!["용접기능사".to_string(), "엑셀".to_string()],
        ),
        (
            "d".to_string(),
            vec!["엑셀".to_string(), "TIG 용접".to_string()],
        ),
        ("e".to_string(), vec!["TIG 용접".to_string()]),
        ("f".to_string(), vec![]),
    ];
    let gaps = skill_gaps(&postings, &vocabulary);
    assert_eq!(gaps[0].skill, "용접기능사");
    assert_eq!(gaps[0].opens, ["a", "b"]);
    assert_eq!(gaps[0].asked_by, 3);
    assert_eq!(gaps[1].skill, "TIG 용접");
    assert_eq!(gaps[1].opens, ["e"]);
    assert_eq!(
        gaps.iter().find(|g| g.skill == "엑셀").unwrap().opens.len(),
        0
    );
}

#[test]
fn completeness_names_each_missing_or_vague_field() {
    let vague = Draft {
        posting: Posting {
            title: "직원 모집".into(),
            description: "열심히 일할 분".into(),
            skills: vec![],
            employment_type: EmploymentType::Unspecified,
            sector: String::new(),
            ..posting("d", &[])
        },
        has_location: false,
    };
    let fields: Vec<String> = posting_completeness(&vague, Language::Korean)
        .into_iter()
        .map(|f| f.field)
        .collect();
    assert_eq!(
        fields,
        [
            "skills",
            "location",
            "title",
            "employment_type",
            "description",
            "sector"
        ]
    );
    let good = Draft {
        posting: posting("d", &["CNC 선반"]),
        has_location: true,
    };
    assert!(
        posting_completeness(&good, Language::Korean).is_empty(),
        "{:?}",
        posting_completeness(&good, Language::Korean)
    );
    // The same lines in either language, Korean by default at the API.
    let korean = posting_completeness(&vague, Language::Korean);
    let english = posting_completeness(&vague, Language::English);
    assert!(korean[1].advice.contains("근무지"), "{}", korean[1].advice);
    assert!(
        english[1].advice.contains("workplace"),
        "{}",
        english[1].advice
    );
    assert!(korean
        .iter()
        .zip(&english)
        .all(|(k, e)| k.field == e.field && k.advice != e.advice));

    let sparse = Seeker {
        skills: vec![],
        max_commute_km: None,
        available_from: None,
        birth_year: None,
        education_track: EducationTrack::Unspecified,
        resume: "용접".into(),
        ..seeker()
    };
    let fields: Vec<String> = seeker_completeness(&sparse, Language::English)
        .into_iter()
        .map(|f| f.field)
        .collect();
    assert_eq!(
        fields,
        [
            "skills",
            "max_commute_km",
            "available_from",
            "birth_year",
            "education_track",
            "resume"
        ]
    );
    assert!(seeker_completeness(&seeker(), Language::Korean).is_empty());
}

#[test]
fn questions_about_a_skill_the_posting_asks_for_get_the_bonus_and_one_general_question_closes() {
    let vocabulary = Vocabulary::builtin();
    let bank = QuestionBank::parse(
        "family\tskill\tquestion\nwelding\tTIG 용접\tq-tig\nwelding\t\tq-weld\naccounting\t엑셀\tq-excel\ngeneral\t\tq-general\n",
        "t.tsv",
    )
    .unwrap();
    // Equal cosines for all: only the skill bonus separates them.
    let vectors = vec![vec![1.0f32, 0.0]; 4];
    let keys = vec![vocabulary.key("TIG welding")];
    let chosen = bank.choose(&vectors, &[1.0, 0.0], &keys, &vocabulary, 2);
    let texts: Vec<&str> = chosen.iter().map(|c| c.question.text.as_str()).collect();
    assert_eq!(texts[0], "q-tig");
    assert_eq!(texts.len(), 3);
    assert_eq!(texts[2], "q-general");
    assert!((chosen[0].score - (1.0 + interview::SKILL_BONUS)).abs() < 1e-9);
    assert!(
        QuestionBank::parse("family\tskill\tquestion\nwelding\tq\n", "t.tsv")
            .unwrap_err()
            .to_string()
            .contains("t.tsv:2")
    );
}
