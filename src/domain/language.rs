//! The language a caller reads answers in: Korean by default (the centres' counsellors), English
//! on request.

use crate::error::{Error, Result};

/// A language the server renders its lines in (reasons, advice).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Language {
    /// 한국어.
    #[default]
    #[value(name = "ko")]
    Korean,
    /// English.
    #[value(name = "en")]
    English,
}

impl Language {
    /// A request's language tag ("ko", "en", "ko-KR", "en-GB", any case); empty: Korean.
    /// Anything else is refused naming `field`, so a typo does not silently answer in Korean.
    pub fn parse(tag: &str, field: &str) -> Result<Self> {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or_default();
        match primary.to_ascii_lowercase().as_str() {
            "" | "ko" => Ok(Language::Korean),
            "en" => Ok(Language::English),
            other => Err(Error::invalid(
                field,
                format!("'{other}' is not a language the server writes (ko or en)"),
            )),
        }
    }

    /// Its tag ("ko", "en").
    pub fn tag(self) -> &'static str {
        match self {
            Language::Korean => "ko",
            Language::English => "en",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_parse_by_their_primary_subtag_and_unknown_ones_name_the_field() {
        assert_eq!(Language::parse("", "f").unwrap(), Language::Korean);
        assert_eq!(Language::parse("ko-KR", "f").unwrap(), Language::Korean);
        assert_eq!(Language::parse("EN_gb", "f").unwrap(), Language::English);
        let err = Language::parse("fr", "options.language")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("options.language") && err.contains("fr"),
            "{err}"
        );
        assert_eq!(Language::English.tag(), "en");
    }
}
