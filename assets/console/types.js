// @ts-check
// The shapes of the gateway's JSON, as the console reads them (protobuf's JSON mapping of
// proto/jobmatch/v2/jobmatch.proto, camelCase; a google.type.Date is {year, month, day}). Proto3 JSON leaves out every field at its
// default (0, "", false, [], an unset message), so every field is optional and the code reads
// them through num()/str()/list(); a uint64 (an outcome's `sequence`) arrives as a string.
// Types only: this module exports nothing at run time.

/**
 * @typedef {object} WhoAmI
 * @property {string} [name]
 * @property {string} [role] ROLE_PLATFORM, ROLE_COUNSELLOR or ROLE_ADMIN
 * @property {string[]} [regions] region codes; none = everywhere
 * @property {string[]} [regionNames]
 */

/**
 * @typedef {object} Point
 * @property {number} [lat]
 * @property {number} [lon]
 */

/**
 * A place as stored: a region's name or coordinates (a oneof: one of the two).
 * @typedef {object} Location
 * @property {string} [region]
 * @property {Point} [coordinates]
 */

/**
 * @typedef {object} FoundRecord
 * @property {string} [id]
 * @property {string} [title]
 * @property {string} [subtitle]
 * @property {string} [regionName]
 */

/**
 * @typedef {object} FindRecordsResponse
 * @property {FoundRecord[]} [records]
 * @property {string} [nextPageToken]
 */

/**
 * GetPosting's answer, also AdvisePosting's draft.
 * @typedef {object} Posting
 * @property {string} [id]
 * @property {string} [title]
 * @property {string} [description]
 * @property {string} [companyId]
 * @property {string} [companyName]
 * @property {Location} [location]
 * @property {number} [openings]
 * @property {string} [sector]
 * @property {string} [employmentType] EMPLOYMENT_TYPE_…
 * @property {boolean} [certifiedCompany]
 * @property {string[]} [skills]
 */

/**
 * @typedef {object} Seeker
 * @property {string} [id]
 * @property {string} [displayName]
 * @property {string} [headline]
 * @property {string} [resume]
 * @property {Location} [home]
 * @property {number} [maxCommuteKm]
 * @property {string} [educationTrack] EDUCATION_TRACK_…
 * @property {number} [birthYear]
 * @property {DateMessage} [availableFrom]
 * @property {DateMessage} [dischargeDate]
 * @property {string[]} [skills]
 */

/**
 * @typedef {object} ScoreBreakdown
 * @property {number} [finalScore]
 * @property {number} [distanceKm]
 * @property {number} [semanticPart]
 * @property {number} [lexicalPart]
 * @property {number} [distancePart]
 * @property {number} [skillsScore]
 * @property {number} [boost]
 */

/**
 * The ranking parameters in effect, once per response (jobmatch.v2).
 * @typedef {object} RankingParameters
 * @property {number} [semanticWeight]
 * @property {number} [lexicalWeight]
 * @property {number} [geoWeight]
 * @property {number} [skillsWeight]
 * @property {string} [fusion] FUSION_…
 */

/**
 * google.type.Date (day 0: a month).
 * @typedef {object} DateMessage
 * @property {number} [year]
 * @property {number} [month]
 * @property {number} [day]
 */

/**
 * @typedef {object} Explanation
 * @property {string[]} [skillsMatched]
 * @property {string[]} [skillsMissing]
 * @property {string} [reason]
 */

/**
 * @typedef {object} ProgrammeMatch
 * @property {string} [id]
 * @property {string} [name] Korean
 * @property {string} [nameEn]
 * @property {string} [kind] employer_subsidy, tax_relief, seeker_support, military_service
 * @property {boolean} [eligible] false: one condition short
 * @property {string} [failedCondition]
 * @property {string} [source] where the rules are published (an address, usually)
 * @property {number} [rulesRead] the year of the rules read
 * @property {boolean} [verifyBeforeUse]
 */

/**
 * @typedef {object} Candidate
 * @property {string} [seekerId]
 * @property {string} [displayName]
 * @property {string} [headline]
 * @property {string} [regionName]
 * @property {Point} [home]
 * @property {number} [maxCommuteKm]
 * @property {boolean} [beyondCommute]
 * @property {ScoreBreakdown} [score]
 * @property {Explanation} [explanation]
 * @property {ProgrammeMatch[]} [programmes]
 */

/**
 * @typedef {object} RecommendCandidatesResponse
 * @property {Candidate[]} [candidates]
 * @property {boolean} [nothingWithinReach]
 * @property {Point} [origin] the workplace
 * @property {string} [originRegionName]
 * @property {RankingParameters} [parameters]
 */

/**
 * @typedef {object} RecommendedPosting
 * @property {string} [postingId]
 * @property {string} [title]
 * @property {string} [companyName]
 * @property {string} [regionName]
 * @property {Point} [workplace]
 * @property {boolean} [beyondCommute]
 * @property {ScoreBreakdown} [score]
 * @property {Explanation} [explanation]
 */

/**
 * @typedef {object} RecommendPostingsResponse
 * @property {RecommendedPosting[]} [postings]
 * @property {boolean} [nothingWithinReach]
 * @property {Point} [origin] the seeker's home
 * @property {string} [originRegionName]
 * @property {number} [maxCommuteKm]
 */

/**
 * @typedef {object} RecordOutcomeResponse
 * @property {string} [sequence] uint64
 */

/**
 * One line of a posting's outcomes (ListOutcomes), or one recorded on the page and not yet
 * listed. An erased seeker's id is "erased:…" and has no name.
 * @typedef {object} OutcomeRecord
 * @property {string} [seekerId]
 * @property {string} [displayName]
 * @property {string} [stage] OUTCOME_STAGE_…
 * @property {string} [reason]
 * @property {DateMessage} [date]
 * @property {string} [sequence] uint64
 * @property {string} [recordedBy]
 * @property {string} [recordedByRole] ROLE_…
 */

/**
 * @typedef {object} ListOutcomesResponse
 * @property {OutcomeRecord[]} [outcomes] newest first
 * @property {string} [nextPageToken]
 */

/**
 * @typedef {object} FieldAdvice
 * @property {string} [field] e.g. "skills", "location", "max_commute_km"
 * @property {string} [advice]
 */

/**
 * @typedef {object} SimilarPosting
 * @property {string} [postingId]
 * @property {string} [title]
 * @property {string} [companyName]
 * @property {number} [similarity]
 * @property {number} [distanceKm]
 */

/**
 * @typedef {object} SkillSuggestion
 * @property {string} [skill]
 * @property {number} [askedBy]
 * @property {number} [outOf]
 */

/**
 * @typedef {object} Market
 * @property {number} [seekersMatching]
 * @property {number} [seekersWithAllSkills]
 * @property {{ skill?: string, seekersWithAllOthers?: number }[]} [ifDropped]
 * @property {number} [seekersConsidered]
 */

/**
 * @typedef {object} AdvisePostingResponse
 * @property {SimilarPosting[]} [similar]
 * @property {SkillSuggestion[]} [skillsToAdd]
 * @property {Market} [market] absent when the draft has no workplace
 * @property {FieldAdvice[]} [completeness]
 * @property {ProgrammeMatch[]} [programmes]
 */

/**
 * @typedef {object} SkillGap
 * @property {string} [skill]
 * @property {number} [askedBy]
 * @property {string[]} [opensPostingIds]
 */

/**
 * @typedef {object} InterviewPrep
 * @property {string} [postingId]
 * @property {string} [title]
 * @property {{ question?: string, skill?: string }[]} [questions]
 */

/**
 * @typedef {object} AdviseSeekerResponse
 * @property {SkillGap[]} [skillGaps]
 * @property {number} [postingsConsidered]
 * @property {InterviewPrep[]} [interview]
 * @property {FieldAdvice[]} [completeness]
 * @property {ProgrammeMatch[]} [programmes]
 * @property {InterestAdvice} [interests] absent until the seeker took the interest inventory
 */

/**
 * One item of the interest inventory (/console/interests.json, made by console.rs).
 * @typedef {object} InterestItem
 * @property {string} id "R1" … "C8"
 * @property {string} type R, I, A, S, E or C
 * @property {string} ko
 * @property {string} en
 */

/**
 * /console/interests.json: the 48 items (grouped by type) and the answer scale.
 * @typedef {object} InterestInventory
 * @property {InterestItem[]} items
 * @property {number} min 1
 * @property {number} max 5
 */

/**
 * @typedef {object} InterestScore
 * @property {string} [type] INTEREST_TYPE_REALISTIC, …_INVESTIGATIVE, …_ARTISTIC, …_SOCIAL, …_ENTERPRISING, …_CONVENTIONAL
 * @property {number} [score] the mean of the type's answers, 1–5
 * @property {string} [name] in the request's language
 */

/**
 * @typedef {object} InterestProfile
 * @property {InterestScore[]} [scores] RIASEC order
 * @property {string} [code] the top three letters; empty when flat
 * @property {boolean} [ambiguous] a tie decided the code
 * @property {boolean} [flat] the scores differ by less than half a point: no code, no family
 */

/**
 * @typedef {object} InterestFamily
 * @property {string} [family] the key (welding, machining, …)
 * @property {string} [name] in the request's language
 * @property {number} [fit] −1…1
 * @property {boolean} [suggested]
 * @property {boolean} [weak] a fit below 0.5
 * @property {number} [postingsInReach]
 */

/**
 * A seeker's interest profile and the families it fits (a conversation starter, not a diagnosis).
 * @typedef {object} InterestAdvice
 * @property {InterestProfile} [profile]
 * @property {InterestFamily[]} [families] best fit first; none when flat
 */

/**
 * @typedef {object} AssessInterestsResponse
 * @property {InterestAdvice} [interests]
 */

/**
 * @typedef {object} PlanSummary
 * @property {number} [totalScore]
 * @property {number} [distinctSeekers]
 * @property {number} [emptyLists]
 * @property {number} [shortLists]
 */

/**
 * @typedef {object} RegionShortlist
 * @property {string} [postingId]
 * @property {string} [title]
 * @property {number} [size]
 * @property {Candidate[]} [candidates]
 */

/**
 * @typedef {object} MatchRegionResponse
 * @property {PlanSummary} [plan]
 * @property {PlanSummary} [greedy]
 * @property {RegionShortlist[]} [shortlists]
 */

/**
 * The seekers placed in one posting (PlaceCohort).
 * @typedef {object} CohortPlacement
 * @property {string} [postingId]
 * @property {string} [title]
 * @property {string} [companyName]
 * @property {number} [openings] at least 1
 * @property {Candidate[]} [seekers] at most `openings`, best first
 */

/**
 * A seeker of the cohort the plan leaves out.
 * @typedef {object} UnplacedSeeker
 * @property {string} [seekerId]
 * @property {string} [displayName]
 * @property {string} [reason] UNPLACED_REASON_NO_POSTING_IN_REACH or UNPLACED_REASON_OUTCOMPETED
 * @property {string} [reasonText] the reason in the request's language
 */

/**
 * @typedef {object} PlaceCohortResponse
 * @property {CohortPlacement[]} [placements] one per posting, in request order
 * @property {UnplacedSeeker[]} [unplaced] in request order
 * @property {PlanSummary} [plan]
 * @property {PlanSummary} [greedy] best pairs first while seeker and posting are free
 * @property {CohortPlacement[]} [greedyPlacements]
 * @property {RankingParameters} [parameters]
 */

/**
 * @typedef {object} PersonFigures
 * @property {string} [name]
 * @property {string} [role] ROLE_…
 * @property {number} [rankingsViewed]
 * @property {number} [seekersShown]
 * @property {number} [proposals]
 */

/**
 * @typedef {object} CentreFiguresResponse
 * @property {number} [placements]
 * @property {number} [seekersPlaced]
 * @property {number} [companies]
 * @property {number} [events]
 * @property {number} [shareAged34OrYounger] 0–1
 * @property {number} [shareManufacturing] 0–1
 * @property {number} [shareCertifiedCompany] 0–1
 * @property {number} [medianDistanceKm]
 * @property {{ month?: DateMessage, placements?: number }[]} [placementsByMonth]
 * @property {{ stage?: string, pairs?: number }[]} [stages]
 * @property {PersonFigures[]} [people]
 */

/**
 * One group of one dimension in an exposure table; rates are shares (0–1) with 95 % intervals.
 * @typedef {object} AuditGroup
 * @property {string} [dimension] age_band, education_track, military_status, home_region, commute
 * @property {string} [group]
 * @property {number} [seekers]
 * @property {number} [pairs]
 * @property {number} [exposed]
 * @property {number} [rate]
 * @property {number} [rateLow]
 * @property {number} [rateHigh]
 * @property {number} [impactRatio]
 * @property {number} [impactRatioLow]
 * @property {number} [impactRatioHigh]
 * @property {boolean} [flagged] impact ratio below 0.8
 * @property {boolean} [suppressed] too few seekers to show rates
 */

/**
 * @typedef {object} AuditTable
 * @property {string} [source] ranking, plan or outcomes
 * @property {number} [postings]
 * @property {AuditGroup[]} [groups]
 */

/**
 * @typedef {object} ExposureAuditResponse
 * @property {number} [k]
 * @property {number} [postingsAudited]
 * @property {number} [postingsTotal]
 * @property {number} [seekers]
 * @property {number} [minGroupSeekers]
 * @property {string} [qualified]
 * @property {AuditTable[]} [tables]
 * @property {string[]} [notes]
 */

/**
 * One point of the map's base layer (/console/regions.json, made by console.rs).
 * @typedef {object} MapRegion
 * @property {string} code
 * @property {string} sidoCode
 * @property {"sido" | "sigungu"} level
 * @property {string} name
 * @property {string} [nameEn]
 * @property {string} shortName
 * @property {number} lat
 * @property {number} lon
 */

export {};
