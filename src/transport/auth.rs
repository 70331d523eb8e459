//! Who may call what: bearer tokens (only their SHA-256 is configured, never the token) with one
//! role each, and a counsellor's regions.
//!
//! | role | may call |
//! |---|---|
//! | `platform` | upserts, deletes, gets, recommendations, MatchRegion, RecordOutcome, advice, FindRecords, CentreFigures, ExposureAudit, ListOutcomes |
//! | `counsellor` | gets, recommendations, MatchRegion, RecordOutcome, advice, FindRecords, CentreFigures, ExposureAudit, ListOutcomes, within its sido codes |
//! | `admin` | Reindex, ModelInfo, Embed, ExposureAudit, ListAccessRecords |
//!
//! Every role may call WhoAmI.
//!
//! Anything else is `PERMISSION_DENIED`; a missing or unknown token is `UNAUTHENTICATED`.
//! Authentication is off only with `--no-auth`, and the server logs a warning when it is.
//!
//! The tokens file (TOML):
//! ```toml
//! [[tokens]]
//! name = "busan-centre"            # shown in logs instead of the token
//! role = "counsellor"
//! regions = ["26", "48"]           # sido codes, current or former ("51" = "42" = 강원), or names
//! sha256 = "…"                     # `echo -n TOKEN | jobmatch auth hash-token`
//! ```

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;
use sha2::{Digest, Sha256};
use tonic::metadata::MetadataMap;

use crate::error::{io_err, Error, Result};
use crate::matching::Scope;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Platform,
    Counsellor,
    Admin,
}

impl Role {
    pub fn name(self) -> &'static str {
        match self {
            Role::Platform => "platform",
            Role::Counsellor => "counsellor",
            Role::Admin => "admin",
        }
    }
}

/// Makes the `Rpc` enum, its names and roles from the table's rows.
macro_rules! rpc_enum {
    ($( $name:ident $method:ident $handler:ident ($request:ty => $answer:ty
        | $request2:ty => $answer2:ty)
        [$($role:ident),*] $via:ident ($($personal:tt)*); )*) => {
        /// Every RPC of `jobmatch.v1.Matching` (the table in `rpcs.rs`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Rpc {
            $($name),*
        }

        impl Rpc {
            pub const ALL: [Rpc; [$(Rpc::$name),*].len()] = [$(Rpc::$name),*];

            pub fn name(self) -> &'static str {
                match self {
                    $(Rpc::$name => stringify!($name)),*
                }
            }

            /// The roles that may call it.
            pub fn roles(self) -> &'static [Role] {
                match self {
                    $(Rpc::$name => &[$(Role::$role),*]),*
                }
            }
        }
    };
}

for_each_rpc!(rpc_enum);

/// The permission table (pure, so it is tested as a table): the roles of the RPC's row.
pub fn allowed(role: Role, rpc: Rpc) -> bool {
    rpc.roles().contains(&role)
}

/// An authenticated caller.
#[derive(Debug, Clone, PartialEq)]
pub struct Caller {
    pub name: String,
    pub role: Role,
    /// Where the caller may see records: a counsellor's sido codes, or everywhere.
    pub scope: Scope,
}

impl Caller {
    /// Unrestricted (authentication off).
    pub fn anonymous() -> Self {
        Self {
            name: "anonymous".into(),
            role: Role::Platform,
            scope: Scope::everywhere(),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TokenEntry {
    name: String,
    role: Role,
    #[serde(default)]
    regions: Vec<String>,
    sha256: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TokensFile {
    #[serde(default)]
    tokens: Vec<TokenEntry>,
}

/// Checks bearer tokens against the configured hashes.
#[derive(Debug, Clone)]
pub enum Authenticator {
    /// `--no-auth`: every call is allowed.
    Disabled,
    Tokens(HashMap<[u8; 32], Caller>),
}

/// SHA-256 of a token, hex (what the tokens file holds).
pub fn hash_token(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn parse_hex(hex: &str) -> Option<[u8; 32]> {
    if hex.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

impl Authenticator {
    /// Reads a tokens file; every entry is checked (role, regions, hash) with its position named.
    pub fn from_file(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(io_err("read", path))?;
        Self::from_toml(&text, &path.display().to_string())
    }

    pub fn from_toml(text: &str, source: &str) -> Result<Self> {
        let file: TokensFile = toml::from_str(text)
            .map_err(|e| Error::invalid(source, format!("not a valid tokens file: {e}")))?;
        if file.tokens.is_empty() {
            return Err(Error::invalid(
                source,
                "holds no [[tokens]]: nobody could call the server",
            ));
        }
        let mut tokens = HashMap::new();
        for (i, entry) in file.tokens.into_iter().enumerate() {
            let at = format!("{source}: tokens[{i}] ({})", entry.name);
            let hash = parse_hex(&entry.sha256.to_ascii_lowercase())
                .ok_or_else(|| Error::invalid(&at, "sha256 must be 64 hex digits"))?;
            let regions = match entry.role {
                Role::Counsellor => {
                    if entry.regions.is_empty() {
                        return Err(Error::invalid(
                            &at,
                            "a counsellor needs regions: sido codes such as \"41\" or names",
                        ));
                    }
                    // Current and former codes and names alike ("51", "42", "강원특별자치도"),
                    // stored as the gazetteer's codes the records carry.
                    let gazetteer = crate::geo::Gazetteer::builtin();
                    let mut codes = Vec::new();
                    for region in &entry.regions {
                        let code = gazetteer
                            .sido_code(region)
                            .map_err(|e| Error::invalid(&at, e.to_string()))?;
                        if !codes.contains(&code) {
                            codes.push(code);
                        }
                    }
                    Some(codes)
                }
                _ if !entry.regions.is_empty() => {
                    return Err(Error::invalid(&at, "only counsellors are bound to regions"))
                }
                _ => None,
            };
            let caller = Caller {
                name: entry.name,
                role: entry.role,
                scope: regions.map_or_else(Scope::everywhere, Scope::regions),
            };
            if tokens.insert(hash, caller).is_some() {
                return Err(Error::invalid(&at, "the same token hash appears twice"));
            }
        }
        Ok(Self::Tokens(tokens))
    }

    /// The caller behind a request's `authorization: Bearer …` header, if it may call `rpc`.
    pub fn authorize(&self, metadata: &MetadataMap, rpc: Rpc) -> Result<Caller> {
        let tokens = match self {
            Authenticator::Disabled => return Ok(Caller::anonymous()),
            Authenticator::Tokens(tokens) => tokens,
        };
        let header = metadata
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .ok_or_else(|| {
                Error::Unauthenticated("missing authorization: Bearer <token> header".into())
            })?;
        let token = header
            .strip_prefix("Bearer ")
            .or_else(|| header.strip_prefix("bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| {
                Error::Unauthenticated("the authorization header is not 'Bearer <token>'".into())
            })?;
        let digest: [u8; 32] = Sha256::digest(token.as_bytes()).into();
        let caller = tokens
            .get(&digest)
            .ok_or_else(|| Error::Unauthenticated("unknown token".into()))?;
        if !allowed(caller.role, rpc) {
            return Err(Error::PermissionDenied(format!(
                "'{}' ({:?}) may not call {}",
                caller.name,
                caller.role,
                rpc.name()
            )));
        }
        Ok(caller.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file() -> String {
        format!(
            r#"
[[tokens]]
name = "web"
role = "platform"
sha256 = "{}"

[[tokens]]
name = "gyeonggi"
role = "counsellor"
regions = ["41"]
sha256 = "{}"

[[tokens]]
name = "ops"
role = "admin"
sha256 = "{}"
"#,
            hash_token("platform-secret"),
            hash_token("counsellor-secret"),
            hash_token("admin-secret")
        )
    }

    fn metadata(token: Option<&str>) -> MetadataMap {
        let mut m = MetadataMap::new();
        if let Some(t) = token {
            m.insert("authorization", format!("Bearer {t}").parse().unwrap());
        }
        m
    }

    #[test]
    fn tokens_map_to_roles_and_unknown_or_missing_ones_are_unauthenticated() {
        let auth = Authenticator::from_toml(&file(), "t.toml").unwrap();
        let caller = auth
            .authorize(&metadata(Some("counsellor-secret")), Rpc::GetSeeker)
            .unwrap();
        assert_eq!(caller.role, Role::Counsellor);
        assert_eq!(caller.scope.codes(), Some(&["41".to_string()][..]));
        for bad in [None, Some("nope"), Some("")] {
            let err = auth.authorize(&metadata(bad), Rpc::GetSeeker).unwrap_err();
            assert!(matches!(err, Error::Unauthenticated(_)), "{err:?}");
        }
        let err = auth
            .authorize(&metadata(Some("admin-secret")), Rpc::UpsertSeekers)
            .unwrap_err();
        assert!(matches!(err, Error::PermissionDenied(_)));
        assert!(
            !err.to_string().contains("admin-secret"),
            "never echo the token"
        );
    }

    #[test]
    fn the_permission_table() {
        use Role::*;
        use Rpc::*;
        let expect = |role, rpcs: &[Rpc]| {
            for rpc in Rpc::ALL {
                assert_eq!(allowed(role, rpc), rpcs.contains(&rpc), "{role:?} {rpc:?}");
            }
        };
        expect(
            Platform,
            &[
                UpsertPostings,
                UpsertSeekers,
                GetPosting,
                GetSeeker,
                DeletePosting,
                DeleteSeeker,
                RecommendCandidates,
                RecommendPostings,
                MatchRegion,
                RecordOutcome,
                AdvisePosting,
                AdviseSeeker,
                WhoAmI,
                FindRecords,
                CentreFigures,
                ExposureAudit,
                ListOutcomes,
                AssessInterests,
                PlaceCohort,
            ],
        );
        expect(
            Counsellor,
            &[
                GetPosting,
                GetSeeker,
                RecommendCandidates,
                RecommendPostings,
                MatchRegion,
                RecordOutcome,
                AdvisePosting,
                AdviseSeeker,
                WhoAmI,
                FindRecords,
                CentreFigures,
                ExposureAudit,
                ListOutcomes,
                AssessInterests,
                PlaceCohort,
            ],
        );
        expect(
            Admin,
            &[
                Embed,
                ModelInfo,
                Reindex,
                WhoAmI,
                ExposureAudit,
                ListAccessRecords,
            ],
        );
    }

    #[test]
    fn bad_tokens_files_say_which_entry_is_wrong() {
        let err = |text: &str| {
            Authenticator::from_toml(text, "t.toml")
                .unwrap_err()
                .to_string()
        };
        assert!(err("").contains("no [[tokens]]"));
        assert!(err("[[tokens]]\nname='x'\nrole='platform'\nsha256='abc'\n").contains("64 hex"));
        let h = hash_token("x");
        assert!(err(&format!(
            "[[tokens]]\nname='c'\nrole='counsellor'\nsha256='{h}'\n"
        ))
        .contains("tokens[0] (c)"));
        assert!(err(&format!(
            "[[tokens]]\nname='p'\nrole='platform'\nregions=['41']\nsha256='{h}'\n"
        ))
        .contains("only counsellors"));
        assert!(err(&format!(
            "[[tokens]]\nname='p'\nrole='root'\nsha256='{h}'\n"
        ))
        .contains("not a valid tokens file"));
    }

    #[test]
    fn regions_accept_current_and_former_codes_and_names_and_scope_records_alike() {
        let h = "0".repeat(64);
        let tokens = |regions: &str| {
            let file = format!(
                "[[tokens]]\nname='c'\nrole='counsellor'\nregions={regions}\nsha256='{h}'\n"
            );
            match Authenticator::from_toml(&file, "t.toml").unwrap() {
                Authenticator::Tokens(tokens) => tokens.into_values().next().unwrap(),
                Authenticator::Disabled => unreachable!("a tokens file never disables auth"),
            }
        };
        let gazetteer = crate::geo::Gazetteer::builtin();
        let chuncheon = gazetteer
            .lookup("강원특별자치도 춘천시")
            .unwrap()
            .sido_code
            .clone();
        let jeonju = gazetteer.lookup("전주시 완산구").unwrap().sido_code.clone();
        let gunwi = gazetteer.lookup("군위군").unwrap().sido_code.clone();
        for regions in [
            "['51', '52', '27']",
            "['42', '45', '대구']",
            "['강원특별자치도', '전북특별자치도', '대구광역시']",
        ] {
            let caller = tokens(regions);
            for (sido, id) in [
                (&chuncheon, "gangwon"),
                (&jeonju, "jeonbuk"),
                (&gunwi, "gunwi"),
            ] {
                assert!(
                    caller.scope.check(sido, "posting", id).is_ok(),
                    "{regions} {id}"
                );
            }
            assert!(
                caller.scope.check("41", "posting", "gyeonggi").is_err(),
                "{regions}"
            );
        }
        assert_eq!(gunwi, "27", "군위군 belongs to 대구 since 2023");
        assert_eq!(
            gazetteer.lookup("경상북도 군위군").unwrap().full_name,
            "대구광역시 군위군",
            "the former name still finds it"
        );
        assert!(tokens_err("['99']").contains("not a Korean sido"));
    }

    fn tokens_err(regions: &str) -> String {
        let h = "0".repeat(64);
        Authenticator::from_toml(
            &format!("[[tokens]]\nname='c'\nrole='counsellor'\nregions={regions}\nsha256='{h}'\n"),
            "t.toml",
        )
        .err()
        .unwrap()
        .to_string()
    }
}
