//! Dead letters: an input record that cannot be decoded or validated goes to `story.dlq` with
//! its original key, value and headers, plus headers saying where it came from and why.

use crate::input::InputError;
use rdkafka::message::{Header, Headers, OwnedHeaders};

pub const SOURCE_TOPIC: &str = "redline.source.topic";
pub const SOURCE_PARTITION: &str = "redline.source.partition";
pub const SOURCE_OFFSET: &str = "redline.source.offset";
pub const ERROR_KIND: &str = "redline.error.kind";
pub const ERROR_MESSAGE: &str = "redline.error.message";

/// The original headers followed by redline's (so a consumer of the DLQ can replay the record
/// verbatim after dropping the `redline.*` ones).
pub fn headers(
    original: Option<&impl Headers>,
    topic: &str,
    partition: i32,
    offset: i64,
    error: &InputError,
) -> OwnedHeaders {
    let mut h = OwnedHeaders::new();
    if let Some(orig) = original {
        for header in orig.iter() {
            h = h.insert(Header {
                key: header.key,
                value: header.value,
            });
        }
    }
    let partition = partition.to_string();
    let offset = offset.to_string();
    for (key, value) in [
        (SOURCE_TOPIC, topic),
        (SOURCE_PARTITION, partition.as_str()),
        (SOURCE_OFFSET, offset.as_str()),
        (ERROR_KIND, error.kind.as_str()),
        (ERROR_MESSAGE, error.message.as_str()),
    ] {
        h = h.insert(Header {
            key,
            value: Some(value),
        });
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::InputErrorKind;

    #[test]
    fn keeps_original_headers_and_adds_reason() {
        let orig = OwnedHeaders::new().insert(Header {
            key: "trace",
            value: Some("abc"),
        });
        let err = InputError {
            kind: InputErrorKind::NotJson,
            message: "not JSON".into(),
        };
        let h = headers(Some(&orig), "story.versions", 3, 42, &err);
        let got: Vec<(String, Vec<u8>)> = h
            .iter()
            .map(|x| (x.key.to_string(), x.value.unwrap_or_default().to_vec()))
            .collect();
        assert_eq!(got[0], ("trace".into(), b"abc".to_vec()));
        assert!(got.contains(&(ERROR_KIND.into(), b"not_json".to_vec())));
        assert!(got.contains(&(SOURCE_OFFSET.into(), b"42".to_vec())));
        assert!(got.contains(&(SOURCE_PARTITION.into(), b"3".to_vec())));
    }
}
