//! Ordered maps and sets kept as one sorted `Vec`: the same order and lookups as
//! `BTreeMap`/`BTreeSet` (binary search), a fraction of the wasm code. The
//! standard B-tree is instantiated per key and value type (its insert, removal
//! and rebalancing weigh 2–4 KB of wasm each time); this is a few hundred bytes.
//! The maps here hold one entry per account, rental or record (thousands at
//! most), where a sorted vector is as fast as a tree.

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use std::borrow::Borrow;
use std::fmt;
use std::marker::PhantomData;

/// A map ordered by key, like `BTreeMap`.
#[derive(Clone, PartialEq, Eq)]
pub struct VecMap<K, V>(Vec<(K, V)>);

impl<K, V> Default for VecMap<K, V> {
    fn default() -> Self {
        VecMap(Vec::new())
    }
}

impl<K: fmt::Debug, V: fmt::Debug> fmt::Debug for VecMap<K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.0.iter().map(|(k, v)| (k, v))).finish()
    }
}

type Pair<'a, K, V> = fn(&'a (K, V)) -> (&'a K, &'a V);
type PairMut<'a, K, V> = fn(&'a mut (K, V)) -> (&'a K, &'a mut V);

impl<K: Ord, V> VecMap<K, V> {
    pub fn new() -> Self {
        VecMap(Vec::new())
    }

    fn find<Q: Ord + ?Sized>(&self, k: &Q) -> Result<usize, usize>
    where
        K: Borrow<Q>,
    {
        self.0.binary_search_by(|(x, _)| x.borrow().cmp(k))
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn clear(&mut self) {
        self.0.clear()
    }

    pub fn get<Q: Ord + ?Sized>(&self, k: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
    {
        self.find(k).ok().map(|i| &self.0[i].1)
    }

    pub fn get_mut<Q: Ord + ?Sized>(&mut self, k: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
    {
        self.find(k).ok().map(|i| &mut self.0[i].1)
    }

    pub fn contains_key<Q: Ord + ?Sized>(&self, k: &Q) -> bool
    where
        K: Borrow<Q>,
    {
        self.find(k).is_ok()
    }

    /// Inserts or replaces; the old value comes back.
    pub fn insert(&mut self, k: K, v: V) -> Option<V> {
        match self.find(&k) {
            Ok(i) => Some(std::mem::replace(&mut self.0[i].1, v)),
            Err(i) => {
                self.0.insert(i, (k, v));
                None
            }
        }
    }

    pub fn remove<Q: Ord + ?Sized>(&mut self, k: &Q) -> Option<V>
    where
        K: Borrow<Q>,
    {
        self.find(k).ok().map(|i| self.0.remove(i).1)
    }

    /// The value at `k`, made with `f` when missing.
    pub fn entry_or_insert_with(&mut self, k: K, f: impl FnOnce() -> V) -> &mut V {
        let i = match self.find(&k) {
            Ok(i) => i,
            Err(i) => {
                self.0.insert(i, (k, f()));
                i
            }
        };
        &mut self.0[i].1
    }

    pub fn entry_or_default(&mut self, k: K) -> &mut V
    where
        V: Default,
    {
        self.entry_or_insert_with(k, V::default)
    }

    pub fn retain(&mut self, mut f: impl FnMut(&K, &mut V) -> bool) {
        self.0.retain_mut(|(k, v)| f(k, v))
    }

    pub fn iter(&self) -> std::iter::Map<std::slice::Iter<'_, (K, V)>, Pair<'_, K, V>> {
        self.0.iter().map(|(k, v)| (k, v))
    }

    pub fn iter_mut(&mut self) -> std::iter::Map<std::slice::IterMut<'_, (K, V)>, PairMut<'_, K, V>> {
        self.0.iter_mut().map(|(k, v)| (&*k, v))
    }

    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &K> + ExactSizeIterator + Clone {
        self.0.iter().map(|(k, _)| k)
    }

    pub fn values(&self) -> impl DoubleEndedIterator<Item = &V> + ExactSizeIterator + Clone {
        self.0.iter().map(|(_, v)| v)
    }

    pub fn values_mut(&mut self) -> impl DoubleEndedIterator<Item = &mut V> + ExactSizeIterator {
        self.0.iter_mut().map(|(_, v)| v)
    }

    pub fn into_values(self) -> impl DoubleEndedIterator<Item = V> + ExactSizeIterator {
        self.0.into_iter().map(|(_, v)| v)
    }

    pub fn into_keys(self) -> impl DoubleEndedIterator<Item = K> + ExactSizeIterator {
        self.0.into_iter().map(|(k, _)| k)
    }

    pub fn first_key_value(&self) -> Option<(&K, &V)> {
        self.0.first().map(|(k, v)| (k, v))
    }

    pub fn last_key_value(&self) -> Option<(&K, &V)> {
        self.0.last().map(|(k, v)| (k, v))
    }
}

/// Sorted once (stable, so of equal keys the last one wins, as with `insert`), not inserted one
/// by one: collecting n unsorted entries costs n log n, not n².
impl<K: Ord, V> FromIterator<(K, V)> for VecMap<K, V> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(it: I) -> Self {
        let mut v: Vec<(K, V)> = it.into_iter().collect();
        v.reverse();
        crate::sort::sort_by(&mut v, |a, b| a.0.cmp(&b.0));
        v.dedup_by(|later, first| later.0 == first.0);
        VecMap(v)
    }
}

impl<K: Ord, V> Extend<(K, V)> for VecMap<K, V> {
    fn extend<I: IntoIterator<Item = (K, V)>>(&mut self, it: I) {
        for (k, v) in it {
            self.insert(k, v);
        }
    }
}

impl<K: Ord, V, const N: usize> From<[(K, V); N]> for VecMap<K, V> {
    fn from(a: [(K, V); N]) -> Self {
        a.into_iter().collect()
    }
}

impl<K, V> IntoIterator for VecMap<K, V> {
    type Item = (K, V);
    type IntoIter = std::vec::IntoIter<(K, V)>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a, K: Ord, V> IntoIterator for &'a VecMap<K, V> {
    type Item = (&'a K, &'a V);
    type IntoIter = std::iter::Map<std::slice::Iter<'a, (K, V)>, Pair<'a, K, V>>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<'a, K: Ord, V> IntoIterator for &'a mut VecMap<K, V> {
    type Item = (&'a K, &'a mut V);
    type IntoIter = std::iter::Map<std::slice::IterMut<'a, (K, V)>, PairMut<'a, K, V>>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter_mut()
    }
}

impl<K: Ord + Borrow<Q>, Q: Ord + ?Sized, V> std::ops::Index<&Q> for VecMap<K, V> {
    type Output = V;
    fn index(&self, k: &Q) -> &V {
        self.get(k).expect("no entry for this key")
    }
}

impl<K: Serialize, V: Serialize> Serialize for VecMap<K, V> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

impl<'de, K: Ord + Deserialize<'de>, V: Deserialize<'de>> Deserialize<'de> for VecMap<K, V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V2<K, V>(PhantomData<(K, V)>);
        impl<'de, K: Ord + Deserialize<'de>, V: Deserialize<'de>> Visitor<'de> for V2<K, V> {
            type Value = VecMap<K, V>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
                let mut m = VecMap::new();
                while let Some((k, v)) = a.next_entry()? {
                    m.insert(k, v);
                }
                Ok(m)
            }
        }
        d.deserialize_map(V2(PhantomData))
    }
}

/// A set ordered by value, like `BTreeSet`.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct VecSet<T>(VecMap<T, ()>);

impl<T: fmt::Debug> fmt::Debug for VecSet<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.0.keys_any()).finish()
    }
}

impl<K, V> VecMap<K, V> {
    fn keys_any(&self) -> impl Iterator<Item = &K> {
        self.0.iter().map(|(k, _)| k)
    }
}

impl<T: Ord> VecSet<T> {
    pub fn new() -> Self {
        VecSet(VecMap::new())
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn clear(&mut self) {
        self.0.clear()
    }

    /// True when it was not there yet.
    pub fn insert(&mut self, v: T) -> bool {
        self.0.insert(v, ()).is_none()
    }

    pub fn contains<Q: Ord + ?Sized>(&self, v: &Q) -> bool
    where
        T: Borrow<Q>,
    {
        self.0.contains_key(v)
    }

    pub fn remove<Q: Ord + ?Sized>(&mut self, v: &Q) -> bool
    where
        T: Borrow<Q>,
    {
        self.0.remove(v).is_some()
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &T> + ExactSizeIterator + Clone {
        self.0.keys()
    }

    pub fn retain(&mut self, mut f: impl FnMut(&T) -> bool) {
        self.0.retain(|k, _| f(k))
    }
}

impl<T: Ord> FromIterator<T> for VecSet<T> {
    fn from_iter<I: IntoIterator<Item = T>>(it: I) -> Self {
        VecSet(it.into_iter().map(|v| (v, ())).collect())
    }
}

impl<T: Ord> Extend<T> for VecSet<T> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, it: I) {
        for v in it {
            self.insert(v);
        }
    }
}

impl<T> IntoIterator for VecSet<T> {
    type Item = T;
    type IntoIter = std::iter::Map<std::vec::IntoIter<(T, ())>, fn((T, ())) -> T>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter().map(|(k, _)| k)
    }
}

impl<'a, T: Ord> IntoIterator for &'a VecSet<T> {
    type Item = &'a T;
    type IntoIter = std::iter::Map<std::slice::Iter<'a, (T, ())>, fn(&'a (T, ())) -> &'a T>;
    fn into_iter(self) -> Self::IntoIter {
        self.0 .0.iter().map(|(k, _)| k)
    }
}

impl<T: Serialize> Serialize for VecSet<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut q = s.serialize_seq(Some(self.0 .0.len()))?;
        for (v, _) in &self.0 .0 {
            q.serialize_element(v)?;
        }
        q.end()
    }
}

impl<'de, T: Ord + Deserialize<'de>> Deserialize<'de> for VecSet<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct S<T>(PhantomData<T>);
        impl<'de, T: Ord + Deserialize<'de>> Visitor<'de> for S<T> {
            type Value = VecSet<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a sequence")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
                let mut s = VecSet::new();
                while let Some(v) = a.next_element()? {
                    s.insert(v);
                }
                Ok(s)
            }
        }
        d.deserialize_seq(S(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, BTreeSet};

    #[test]
    fn behaves_like_the_btree_collections() {
        // a deterministic mix of inserts, replacements and removals, checked against BTreeMap
        let mut m: VecMap<String, u32> = VecMap::new();
        let mut b: BTreeMap<String, u32> = BTreeMap::new();
        let mut s: VecSet<u32> = VecSet::new();
        let mut bs: BTreeSet<u32> = BTreeSet::new();
        let mut x: u32 = 7;
        for step in 0..2000u32 {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345) % 97;
            let k = format!("k{x}");
            match step % 4 {
                0 | 1 => assert_eq!(m.insert(k.clone(), step), b.insert(k, step)),
                2 => assert_eq!(m.remove(k.as_str()), b.remove(k.as_str())),
                _ => {
                    *m.entry_or_default(k.clone()) += 1;
                    *b.entry(k).or_default() += 1;
                }
            }
            assert_eq!(s.insert(x), bs.insert(x));
            if step % 3 == 0 {
                assert_eq!(s.remove(&(x / 2)), bs.remove(&(x / 2)));
            }
            assert_eq!(m.get(&format!("k{}", x / 3)), b.get(&format!("k{}", x / 3)));
        }
        assert!(m.iter().eq(b.iter()), "same entries in the same order");
        assert!(s.iter().eq(bs.iter()));
        m.retain(|_, v| *v % 2 == 0);
        b.retain(|_, v| *v % 2 == 0);
        assert!(m.iter().eq(b.iter()));
        // serde: the same JSON as the standard map, read back whatever order it comes in
        assert_eq!(serde_json::to_string(&m).unwrap(), serde_json::to_string(&b).unwrap());
        let back: VecMap<String, u32> = serde_json::from_str(r#"{"b":2,"a":1,"c":3,"a":4}"#).unwrap();
        assert_eq!(serde_json::to_string(&back).unwrap(), r#"{"a":4,"b":2,"c":3}"#);
        assert_eq!(serde_json::to_string(&s).unwrap(), serde_json::to_string(&bs).unwrap());
    }

    #[test]
    fn collecting_is_inserting_in_order() {
        // unsorted, with repeated keys: of equal keys the last one wins, as with insert
        let mut x: u32 = 3;
        let pairs: Vec<(u32, u32)> = (0..3000)
            .map(|i| {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12345) % 211;
                (x, i)
            })
            .collect();
        // few and many, unsorted and already in order
        for n in [0, 1, 2, 5, 16, 17, 40, 3000] {
            let mut sorted: Vec<(u32, u32)> = pairs[..n].iter().map(|&(k, v)| (k * 3000 + v, v)).collect();
            sorted.sort();
            for input in [&pairs[..n], &sorted[..]] {
                let m: VecMap<u32, u32> = input.iter().copied().collect();
                let b: BTreeMap<u32, u32> = input.iter().copied().collect();
                assert!(m.iter().eq(b.iter()), "{n}");
            }
        }
        let s: VecSet<u32> = pairs.iter().map(|p| p.0).collect();
        let bs: BTreeSet<u32> = pairs.iter().map(|p| p.0).collect();
        assert!(s.iter().eq(bs.iter()));
        assert!(VecMap::<u32, u32>::from_iter(std::iter::empty()).is_empty());
    }
}
