//! `FRAMEWORK:CODE` references: how a criterion is named everywhere (CLI, files, reports).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::{CoreError, Result};

/// A criterion reference such as `CD-NOS:CLDSCCD15.PC1`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CriterionRef {
    pub framework: String,
    pub code: String,
}

impl CriterionRef {
    pub fn new(framework: impl Into<String>, code: impl Into<String>) -> Self {
        CriterionRef {
            framework: framework.into(),
            code: code.into(),
        }
    }

    /// Parses `FRAMEWORK:CODE`.
    pub fn parse(text: &str) -> Result<CriterionRef> {
        let text = text.trim();
        match text.split_once(':') {
            Some((framework, code))
                if !framework.is_empty() && !code.is_empty() && !code.contains(':') =>
            {
                Ok(CriterionRef::new(framework, code))
            }
            _ => Err(CoreError::invalid(format!(
                "{text:?} is not a criterion reference; write FRAMEWORK:CODE, e.g. CD-NOS:CLDSCCD15.PC1"
            ))),
        }
    }
}

impl fmt::Display for CriterionRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.framework, self.code)
    }
}

impl TryFrom<String> for CriterionRef {
    type Error = CoreError;
    fn try_from(value: String) -> Result<Self> {
        CriterionRef::parse(&value)
    }
}

impl From<CriterionRef> for String {
    fn from(value: CriterionRef) -> String {
        value.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_the_same_text() {
        let r = CriterionRef::parse("CD-NOS:CLDSCCD15.PC1").expect("valid");
        assert_eq!(r.framework, "CD-NOS");
        assert_eq!(r.code, "CLDSCCD15.PC1");
        assert_eq!(r.to_string(), "CD-NOS:CLDSCCD15.PC1");
    }

    #[test]
    fn refuses_text_without_both_parts() {
        for bad in ["", "CD-NOS", ":PC1", "CD-NOS:", "A:B:C"] {
            let err = CriterionRef::parse(bad).expect_err(bad);
            assert_eq!(err.code(), "invalid_input");
        }
    }
}
