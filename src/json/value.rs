//! The JSON tree: `serde_json::Value`'s shape and the part of its API the crate uses, with the
//! object as a [`VecMap`] (a sorted `Vec`) instead of serde_json's `BTreeMap`.
//!
//! The `BTreeMap` was the wasm's only one: its node code, `Value`'s own serializer, clone and
//! drop came to 8.5 KB of code (3.7 KB gzip on their own) for a tree that is built once, read by
//! key and dropped. `VecMap<String, _>` is already in the wasm for the store. It keeps what the
//! readers rely on: keys in sorted order, a later duplicate replacing an earlier one, lookups by
//! binary search. Numbers stay serde_json's `Number` (its serializer writes the records).
//!
//! In tests serde_json's `json!` builds the input ([`json_value!`](crate::json_value)):
//! `From<serde_json::Value>` and the comparisons both ways make that tree interchangeable with
//! this one.

use crate::vecmap::VecMap;
use serde::ser::{Serialize, Serializer};
use serde_json::Number;
use std::fmt;

/// A JSON object: keys in sorted order, one value each.
pub type Map = VecMap<String, Value>;

/// A JSON value.
#[derive(Clone, PartialEq, Default, Debug)]
pub enum Value {
    #[default]
    Null,
    Bool(bool),
    Number(Number),
    String(String),
    Array(Vec<Value>),
    Object(Map),
}

static NULL: Value = Value::Null;

/// What a [`Value`] can be indexed with: an object's key or an array's position.
pub trait Index {
    fn index_into<'v>(&self, v: &'v Value) -> Option<&'v Value>;
}

impl Index for str {
    fn index_into<'v>(&self, v: &'v Value) -> Option<&'v Value> {
        v.as_object()?.get(self)
    }
}
impl Index for String {
    fn index_into<'v>(&self, v: &'v Value) -> Option<&'v Value> {
        self.as_str().index_into(v)
    }
}
impl Index for usize {
    fn index_into<'v>(&self, v: &'v Value) -> Option<&'v Value> {
        v.as_array()?.get(*self)
    }
}
impl<T: Index + ?Sized> Index for &T {
    fn index_into<'v>(&self, v: &'v Value) -> Option<&'v Value> {
        (**self).index_into(v)
    }
}

impl Value {
    /// An object's value at a key, an array's at a position; `None` for anything else.
    pub fn get<I: Index>(&self, i: I) -> Option<&Value> {
        i.index_into(self)
    }
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }
    pub fn as_number(&self) -> Option<&Number> {
        match self {
            Value::Number(n) => Some(n),
            _ => None,
        }
    }
    pub fn as_u64(&self) -> Option<u64> {
        self.as_number()?.as_u64()
    }
    pub fn as_i64(&self) -> Option<i64> {
        self.as_number()?.as_i64()
    }
    pub fn as_f64(&self) -> Option<f64> {
        self.as_number()?.as_f64()
    }
    pub fn as_array(&self) -> Option<&Vec<Value>> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }
    pub fn as_object(&self) -> Option<&Map> {
        match self {
            Value::Object(m) => Some(m),
            _ => None,
        }
    }
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }
    pub fn is_object(&self) -> bool {
        matches!(self, Value::Object(_))
    }
}

/// `v["key"]`, `v[0]`: `null` when absent, as serde_json's.
impl<I: Index> std::ops::Index<I> for Value {
    type Output = Value;
    fn index(&self, i: I) -> &Value {
        i.index_into(self).unwrap_or(&NULL)
    }
}

impl Serialize for Value {
    /// As serde_json's `Value` serialises: keys in order, numbers as they were read.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Null => s.serialize_unit(),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Number(n) => n.serialize(s),
            Value::String(t) => s.serialize_str(t),
            Value::Array(a) => s.collect_seq(a),
            Value::Object(m) => m.serialize(s),
        }
    }
}

/// Compact JSON text, as [`super::text`] writes it.
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&super::text(self))
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::String(s.to_owned())
    }
}
/// `null` for NaN and the infinities, as serde_json has it.
impl From<f64> for Value {
    fn from(x: f64) -> Value {
        Number::from_f64(x).map_or(Value::Null, Value::Number)
    }
}

// serde_json's tree (test input built with `json!`, a derived type's `to_value`) converts and
// compares with this one. Nothing in the shipped code calls these, so none of it is in the wasm.
mod serde_json_tree {
    use super::Value;

    impl From<serde_json::Value> for Value {
        fn from(v: serde_json::Value) -> Value {
            match v {
                serde_json::Value::Null => Value::Null,
                serde_json::Value::Bool(b) => Value::Bool(b),
                serde_json::Value::Number(n) => Value::Number(n),
                serde_json::Value::String(s) => Value::String(s),
                serde_json::Value::Array(a) => Value::Array(a.into_iter().map(Value::from).collect()),
                serde_json::Value::Object(m) => {
                    Value::Object(m.into_iter().map(|(k, v)| (k, Value::from(v))).collect())
                }
            }
        }
    }

    impl From<Value> for serde_json::Value {
        fn from(v: Value) -> serde_json::Value {
            match v {
                Value::Null => serde_json::Value::Null,
                Value::Bool(b) => serde_json::Value::Bool(b),
                Value::Number(n) => serde_json::Value::Number(n),
                Value::String(s) => serde_json::Value::String(s),
                Value::Array(a) => serde_json::Value::Array(a.into_iter().map(Into::into).collect()),
                Value::Object(m) => serde_json::Value::Object(m.into_iter().map(|(k, v)| (k, v.into())).collect()),
            }
        }
    }

    impl PartialEq<serde_json::Value> for Value {
        fn eq(&self, o: &serde_json::Value) -> bool {
            match (self, o) {
                (Value::Null, serde_json::Value::Null) => true,
                (Value::Bool(a), serde_json::Value::Bool(b)) => a == b,
                (Value::Number(a), serde_json::Value::Number(b)) => a == b,
                (Value::String(a), serde_json::Value::String(b)) => a == b,
                (Value::Array(a), serde_json::Value::Array(b)) => {
                    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
                }
                (Value::Object(a), serde_json::Value::Object(b)) => {
                    a.len() == b.len() && a.iter().zip(b).all(|((ka, x), (kb, y))| ka == kb && x == y)
                }
                _ => false,
            }
        }
    }

    impl PartialEq<Value> for serde_json::Value {
        fn eq(&self, o: &Value) -> bool {
            o == self
        }
    }

    // as serde_json's `Value` compares with a primitive: through the accessor of its kind
    macro_rules! eq_prim {
        ($($t:ty => |$v:ident, $o:ident| $e:expr),* $(,)?) => {$(
            impl PartialEq<$t> for Value {
                fn eq(&self, $o: &$t) -> bool {
                    let $v = self;
                    $e
                }
            }
            impl PartialEq<Value> for $t {
                fn eq(&self, o: &Value) -> bool {
                    o == self
                }
            }
        )*};
    }
    eq_prim!(
        str => |v, o| v.as_str() == Some(o),
        &str => |v, o| v.as_str() == Some(*o),
        String => |v, o| v.as_str() == Some(o.as_str()),
        bool => |v, o| v.as_bool() == Some(*o),
        u32 => |v, o| v.as_u64() == Some(u64::from(*o)),
        u64 => |v, o| v.as_u64() == Some(*o),
        usize => |v, o| v.as_u64() == Some(*o as u64),
        i32 => |v, o| v.as_i64() == Some(i64::from(*o)),
        i64 => |v, o| v.as_i64() == Some(*o),
        f64 => |v, o| v.as_f64() == Some(*o),
    );

    impl<'de> serde::Deserialize<'de> for Value {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Value, D::Error> {
            serde_json::Value::deserialize(d).map(Value::from)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_like_serde_json_value() {
        let theirs = serde_json::json!({"b": [1, -2, 2.5, "x", null, true], "a": {"z": 1, "y": {}}, "": []});
        let ours = Value::from(theirs.clone());
        assert_eq!(ours, theirs);
        assert_eq!(serde_json::Value::from(ours.clone()), theirs);
        // the same text, keys in the same (sorted) order
        assert_eq!(super::super::text(&ours), serde_json::to_string(&theirs).unwrap());
        assert_eq!(ours.to_string(), theirs.to_string());
        for k in ["a", "b", "", "c"] {
            assert_eq!(ours.get(k).cloned().map(serde_json::Value::from), theirs.get(k).cloned(), "{k}");
            assert_eq!(ours[k], theirs[k], "{k}");
        }
        assert_eq!(ours["b"][1].as_i64(), Some(-2));
        assert_eq!(ours["b"][2].as_f64(), Some(2.5));
        assert_eq!(ours["b"][3].as_str(), Some("x"));
        assert!(ours["b"][4].is_null() && ours["b"][9].is_null() && ours["a"]["z"]["q"].is_null());
        assert_eq!(ours["b"][5].as_bool(), Some(true));
        assert_eq!(ours["a"]["z"].as_u64(), Some(1));
        assert_eq!(
            ours.as_object().map(|m| m.keys().cloned().collect::<Vec<_>>()),
            Some(vec!["".into(), "a".into(), "b".into()])
        );
        assert_eq!(Value::from(f64::NAN), Value::Null);
    }
}
