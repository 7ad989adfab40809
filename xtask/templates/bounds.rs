//! Bounds: takes a value the client is about to send and the bounds its docs give it, gives the
//! refusal that names the argument (or field), the value and the bound, before anything is sent.
//!
//! The bounds are the tightest every docs era accepts (the merge's direction rule), so a value
//! inside them is one no era's server refuses for its size.

use std::fmt::Display;

/// One side of a numeric range: its value and whether the value itself is outside.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Limit {
    pub(crate) value: f64,
    pub(crate) exclusive: bool,
}

/// What the docs allow of one value; each `None` allows anything.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Bounds {
    pub(crate) minimum: Option<Limit>,
    pub(crate) maximum: Option<Limit>,
    pub(crate) min_length: Option<u64>,
    pub(crate) max_length: Option<u64>,
    pub(crate) min_items: Option<u64>,
    pub(crate) max_items: Option<u64>,
    pub(crate) pattern: Option<&'static str>,
}

impl Bounds {
    /// No bounds: the rest of a value's bounds.
    pub(crate) const NONE: Bounds = Bounds {
        minimum: None,
        maximum: None,
        min_length: None,
        max_length: None,
        min_items: None,
        max_items: None,
        pattern: None,
    };

    /// `Ok` when `value` is inside; else what is wrong: "`limit` is 5000, more than its maximum
    /// 1000".
    pub(crate) fn check<T: Bounded + ?Sized>(&self, name: &str, value: &T) -> Result<(), String> {
        value.refusal(self).map_or(Ok(()), |why| Err(format!("`{name}` {why}")))
    }

    fn number(&self, number: f64, shown: &dyn Display) -> Option<String> {
        if let Some(Limit { value, exclusive }) = self.minimum {
            match exclusive {
                false if number < value => return Some(format!("is {shown}, less than its minimum {value}")),
                true if number <= value => return Some(format!("is {shown}, but must be more than {value}")),
                _ => {}
            }
        }
        match self.maximum {
            Some(Limit { value, exclusive: false }) if number > value => {
                Some(format!("is {shown}, more than its maximum {value}"))
            }
            Some(Limit { value, exclusive: true }) if number >= value => {
                Some(format!("is {shown}, but must be less than {value}"))
            }
            _ => None,
        }
    }

    fn count(&self, count: usize, what: &str, min: Option<u64>, max: Option<u64>) -> Option<String> {
        let count = count as u64;
        match (min, max) {
            (Some(min), _) if count < min => Some(format!("has {count} {what}, fewer than its minimum {min}")),
            (_, Some(max)) if count > max => Some(format!("has {count} {what}, more than its maximum {max}")),
            _ => None,
        }
    }
}

/// A value the client can check against [`Bounds`]: numbers by their range, strings by their
/// length (in characters) and pattern, lists by their length; `None` is never out of bounds.
pub(crate) trait Bounded {
    /// Why the value is outside `bounds` ("is 5000, but must be at most 1000"), if it is.
    fn refusal(&self, bounds: &Bounds) -> Option<String>;
}

macro_rules! numbers {
    ($($number:ty),*) => {$(
        impl Bounded for $number {
            #[allow(clippy::cast_precision_loss, clippy::cast_lossless)]
            fn refusal(&self, bounds: &Bounds) -> Option<String> {
                bounds.number(*self as f64, self)
            }
        }
    )*};
}

numbers!(i8, i16, i32, i64, u8, u16, u32, u64, f32, f64);

impl Bounded for std::num::NonZeroU64 {
    fn refusal(&self, bounds: &Bounds) -> Option<String> {
        self.get().refusal(bounds)
    }
}

impl Bounded for str {
    fn refusal(&self, bounds: &Bounds) -> Option<String> {
        let length = self.chars().count();
        if let Some(why) = bounds.count(length, "characters", bounds.min_length, bounds.max_length) {
            return Some(why);
        }
        let pattern = bounds.pattern?;
        // A pattern that does not compile is the docs' mistake, not the caller's: not refused.
        let regex = regress::Regex::new(pattern).ok()?;
        regex
            .find(self)
            .is_none()
            .then(|| format!("is {self:?}, which does not match its pattern `{pattern}`"))
    }
}

impl Bounded for String {
    fn refusal(&self, bounds: &Bounds) -> Option<String> {
        self.as_str().refusal(bounds)
    }
}

impl<T> Bounded for Vec<T> {
    fn refusal(&self, bounds: &Bounds) -> Option<String> {
        bounds.count(self.len(), "items", bounds.min_items, bounds.max_items)
    }
}

impl<T: Bounded> Bounded for Option<T> {
    fn refusal(&self, bounds: &Bounds) -> Option<String> {
        self.as_ref()?.refusal(bounds)
    }
}
