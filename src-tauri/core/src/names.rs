//! `str_names!`: the one way a closed set of values (a method, an outcome, a criterion kind) gets its
//! stored and serialised names, parsing and display. It sits below every domain module so any of
//! them can use it.

macro_rules! str_names {
    ($ty:ty { $($variant:ident => $name:literal),+ $(,)? }) => {
        impl $ty {
            /// Every value, in declaration order.
            pub const ALL: &'static [$ty] = &[$(<$ty>::$variant),+];

            /// The stored and serialised name.
            pub fn as_str(self) -> &'static str {
                match self { $(<$ty>::$variant => $name),+ }
            }

            /// Parses a stored or user-given name.
            pub fn parse(value: &str) -> Option<$ty> {
                match value.trim() { $($name => Some(<$ty>::$variant),)+ _ => None }
            }

            /// The accepted names, for error messages.
            pub fn names() -> String {
                [$($name),+].join(", ")
            }
        }

        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use str_names;
