//! How an operation's arguments cross the socket: `Store` methods borrow (`&str`, `&[T]`,
//! `Option<&str>`), a message owns (`String`, `Vec<T>`, `Option<String>`). [`Own`] turns what a
//! caller lends into what the message holds; [`Lend`] lends what a message holds to the method.

/// A borrowed argument made owned, to be sent.
pub trait Own<Owned> {
    fn own(self) -> Owned;
}

/// An owned argument lent to a `Store` method, as it expects it.
pub trait Lend<'a, Borrowed> {
    fn lend(&'a self) -> Borrowed;
}

impl Own<String> for &str {
    fn own(self) -> String {
        self.to_owned()
    }
}

impl<'a> Lend<'a, &'a str> for String {
    fn lend(&'a self) -> &'a str {
        self
    }
}

impl Own<Option<String>> for Option<&str> {
    fn own(self) -> Option<String> {
        self.map(str::to_owned)
    }
}

impl<'a> Lend<'a, Option<&'a str>> for Option<String> {
    fn lend(&'a self) -> Option<&'a str> {
        self.as_deref()
    }
}

impl<T: Clone> Own<Vec<T>> for &[T] {
    fn own(self) -> Vec<T> {
        self.to_vec()
    }
}

impl<'a, T> Lend<'a, &'a [T]> for Vec<T> {
    fn lend(&'a self) -> &'a [T] {
        self
    }
}

/// A value the method takes by reference (a form's input, a filter).
macro_rules! by_reference {
    ($($ty:ty),* $(,)?) => {$(
        impl Own<$ty> for &$ty {
            fn own(self) -> $ty {
                self.clone()
            }
        }
        impl<'a> Lend<'a, &'a $ty> for $ty {
            fn lend(&'a self) -> &'a $ty {
                self
            }
        }
    )*};
}

/// A small value the method takes as it is.
macro_rules! by_value {
    ($($ty:ty),* $(,)?) => {$(
        impl Own<$ty> for $ty {
            fn own(self) -> $ty {
                self
            }
        }
        impl<'a> Lend<'a, $ty> for $ty {
            fn lend(&'a self) -> $ty {
                *self
            }
        }
    )*};
}

by_reference!(
    crate::accounts::NewUser,
    crate::frameworks::FrameworkDoc,
    crate::refs::CriterionRef,
    crate::evidence::NewEvidence,
    crate::evidence::EvidenceEdit,
    crate::evidence::EvidenceFilter,
);
by_value!(
    bool,
    u32,
    usize,
    Option<u32>,
    Option<usize>,
    Option<chrono::NaiveDate>,
    crate::accounts::AssignedAs,
    crate::review::Outcome,
    crate::evidence::VersionNumber,
);
