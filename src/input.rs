//! Decoding and validating one input record (DESIGN §2). Every failure names what was wrong, so
//! the dead-letter record and the replay warning are readable without the source bytes.

use crate::model::StoryVersion;
use thiserror::Error;

/// Default upper bound on one input record; configurable (`limits.max_input_bytes`).
pub const DEFAULT_MAX_INPUT_BYTES: usize = 2 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InputErrorKind {
    Oversize,
    InvalidUtf8,
    NotJson,
    WrongType,
    MissingField,
    InvalidValue,
}

impl InputErrorKind {
    pub const ALL: [InputErrorKind; 6] = [
        InputErrorKind::Oversize,
        InputErrorKind::InvalidUtf8,
        InputErrorKind::NotJson,
        InputErrorKind::WrongType,
        InputErrorKind::MissingField,
        InputErrorKind::InvalidValue,
    ];

    /// Stable label: used in the DLQ `redline.error.kind` header and in metrics.
    pub fn as_str(self) -> &'static str {
        match self {
            InputErrorKind::Oversize => "oversize",
            InputErrorKind::InvalidUtf8 => "invalid_utf8",
            InputErrorKind::NotJson => "not_json",
            InputErrorKind::WrongType => "wrong_type",
            InputErrorKind::MissingField => "missing_field",
            InputErrorKind::InvalidValue => "invalid_value",
        }
    }
}

#[derive(Debug, Clone, Error, PartialEq, Eq)]
#[error("{}: {message}", kind.as_str())]
pub struct InputError {
    pub kind: InputErrorKind,
    pub message: String,
}

impl InputError {
    fn new(kind: InputErrorKind, message: impl Into<String>) -> Self {
        InputError {
            kind,
            message: message.into(),
        }
    }
}

/// Decode and validate raw record bytes into a [`StoryVersion`].
pub fn parse_version(bytes: &[u8], max_bytes: usize) -> Result<StoryVersion, InputError> {
    if bytes.len() > max_bytes {
        return Err(InputError::new(
            InputErrorKind::Oversize,
            format!(
                "record is {} bytes, over the limit of {max_bytes} bytes",
                bytes.len()
            ),
        ));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        InputError::new(
            InputErrorKind::InvalidUtf8,
            format!("invalid UTF-8 at byte {}", e.valid_up_to()),
        )
    })?;
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        InputError::new(
            InputErrorKind::NotJson,
            format!("not JSON: {e} (line {}, column {})", e.line(), e.column()),
        )
    })?;
    let obj = value.as_object().ok_or_else(|| {
        InputError::new(
            InputErrorKind::WrongType,
            format!("expected a JSON object, found {}", json_type(&value)),
        )
    })?;

    let story_id = match obj.get("story_id") {
        None | Some(serde_json::Value::Null) => {
            return Err(InputError::new(
                InputErrorKind::MissingField,
                "missing field `story_id`",
            ))
        }
        Some(serde_json::Value::String(s)) if s.trim().is_empty() => {
            return Err(InputError::new(
                InputErrorKind::InvalidValue,
                "field `story_id` is an empty string",
            ))
        }
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(other) => return Err(wrong_type("story_id", "a string", other)),
    };

    let version = match obj.get("version") {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::Number(n)) => match n.as_u64() {
            Some(v) => Some(v),
            None => {
                return Err(InputError::new(
                    InputErrorKind::InvalidValue,
                    format!("field `version` must be a non-negative integer, found {n}"),
                ))
            }
        },
        Some(other) => return Err(wrong_type("version", "an integer", other)),
    };

    let headline = optional_string(obj, "headline")?;
    let body = optional_string(obj, "body")?;
    let body_html = optional_string(obj, "body_html")?;
    let published_at = optional_string(obj, "published_at")?;
    let url = optional_string(obj, "url")?;
    let source = optional_string(obj, "source")?;

    if let Some(ts) = &published_at {
        if time::OffsetDateTime::parse(ts, &time::format_description::well_known::Rfc3339).is_err()
        {
            return Err(InputError::new(
                InputErrorKind::InvalidValue,
                format!("field `published_at` is not an RFC 3339 timestamp: {ts:?}"),
            ));
        }
    }

    let has_text = |s: &Option<String>| s.as_deref().is_some_and(|s| !s.trim().is_empty());
    if !has_text(&headline) && !has_text(&body) && !has_text(&body_html) {
        return Err(InputError::new(
            InputErrorKind::MissingField,
            "needs a non-empty `headline`, `body` or `body_html`",
        ));
    }

    Ok(StoryVersion {
        story_id,
        version,
        published_at,
        headline,
        body,
        body_html,
        url,
        source,
    })
}

fn optional_string(
    obj: &serde_json::Map<String, serde_json::Value>,
    field: &str,
) -> Result<Option<String>, InputError> {
    match obj.get(field) {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(wrong_type(field, "a string", other)),
    }
}

fn wrong_type(field: &str, expected: &str, found: &serde_json::Value) -> InputError {
    InputError::new(
        InputErrorKind::WrongType,
        format!(
            "field `{field}` must be {expected}, found {}",
            json_type(found)
        ),
    )
}

fn json_type(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind_of(bytes: &[u8]) -> InputErrorKind {
        parse_version(bytes, 1000).unwrap_err().kind
    }

    #[test]
    fn accepts_minimal_record_and_ignores_unknown_fields() {
        let v = parse_version(br#"{"story_id":"a","headline":"H","extra":[1]}"#, 1000).unwrap();
        assert_eq!(v.story_id, "a");
        assert_eq!(v.version, None);
    }

    #[test]
    fn names_each_kind_of_bad_input() {
        assert_eq!(kind_of(b"not json"), InputErrorKind::NotJson);
        assert_eq!(kind_of(b"[1,2]"), InputErrorKind::WrongType);
        assert_eq!(
            kind_of(br#"{"headline":"H"}"#),
            InputErrorKind::MissingField
        );
        assert_eq!(
            kind_of(br#"{"story_id":"","headline":"H"}"#),
            InputErrorKind::InvalidValue
        );
        assert_eq!(
            kind_of(br#"{"story_id":5,"headline":"H"}"#),
            InputErrorKind::WrongType
        );
        assert_eq!(
            kind_of(br#"{"story_id":"a","version":"3","headline":"H"}"#),
            InputErrorKind::WrongType
        );
        assert_eq!(
            kind_of(br#"{"story_id":"a","version":-1,"headline":"H"}"#),
            InputErrorKind::InvalidValue
        );
        assert_eq!(
            kind_of(br#"{"story_id":"a"}"#),
            InputErrorKind::MissingField
        );
        assert_eq!(
            kind_of(b"{\"story_id\":\"a\xff\"}"),
            InputErrorKind::InvalidUtf8
        );
        assert_eq!(kind_of(&[b' '; 1001]), InputErrorKind::Oversize);
        assert_eq!(
            kind_of(br#"{"story_id":"a","headline":"H","published_at":"yesterday"}"#),
            InputErrorKind::InvalidValue
        );
    }

    #[test]
    fn error_message_names_the_field() {
        let e = parse_version(br#"{"story_id":"a","body":7}"#, 1000).unwrap_err();
        assert!(e.to_string().contains("`body`"), "{e}");
    }
}
