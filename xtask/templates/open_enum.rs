//! Forward-compatible string enums: the values the pages list map to variants, any other value
//! is kept in a catch-all, so a status Baseten adds tomorrow does not break deserializing today.
//!
//! The codegen declares each enum, its `as_str` and its `From<&str>` (the value table); this
//! macro adds what follows from those two.

/// Implements `is_unknown`, `Display`, `FromStr` (infallible), `From<String>`, `Serialize` and
/// `Deserialize` for an open enum `$name` whose catch-all variant is `$unknown(String)`.
macro_rules! open_enum_impls {
    ($name:ident, $unknown:ident) => {
        impl $name {
            /// Whether the value is one the API reference does not list.
            pub fn is_unknown(&self) -> bool {
                matches!(self, $name::$unknown(_))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::convert::From<::std::string::String> for $name {
            fn from(value: ::std::string::String) -> Self {
                match $name::from(value.as_str()) {
                    $name::$unknown(_) => $name::$unknown(value),
                    known => known,
                }
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                Ok($name::from(value))
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                <::std::string::String as ::serde::Deserialize>::deserialize(deserializer).map($name::from)
            }
        }
    };
}

pub(crate) use open_enum_impls;
