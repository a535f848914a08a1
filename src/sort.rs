//! Stable sorting compiled once: the standard library's stable sort is
//! instantiated per element type and comparator (several KB of wasm each), so
//! every sort in the crate sorts element *indices* with one `dyn` comparator
//! and then permutes the slice. Same result as `slice::sort_by` (stable).

use std::cmp::Ordering;

/// Like `v.sort_by(cmp)`: stable, equal elements keep their order.
pub fn sort_by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let mut order: Vec<usize> = (0..v.len()).collect();
    sort_indices(&mut order, &mut |a, b| cmp(&v[a], &v[b]));
    permute(v, &mut order);
}

/// Like `v.sort_by_key(key)`.
pub fn sort_by_key<T, K: Ord>(v: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

#[inline(never)]
fn sort_indices(order: &mut [usize], cmp: &mut dyn FnMut(usize, usize) -> Ordering) {
    order.sort_by(|&a, &b| cmp(a, b));
}

/// Rearranges `v` so that the new `v[k]` is the old `v[order[k]]` (`order` is a permutation).
fn permute<T>(v: &mut [T], order: &mut [usize]) {
    for i in 0..v.len() {
        let mut j = i;
        while order[j] != i {
            let k = order[j];
            v.swap(j, k);
            order[j] = j;
            j = k;
        }
        order[j] = j;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::unnecessary_sort_by)] // std's sort_by is the reference here
    fn matches_std_stable_sort() {
        let mut seed = 0x2545_f491_u64;
        for n in 0..200usize {
            let v: Vec<(u8, usize)> = (0..n)
                .map(|i| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    ((seed % 7) as u8, i)
                })
                .collect();
            let (mut a, mut b) = (v.clone(), v.clone());
            a.sort_by(|x, y| x.0.cmp(&y.0));
            sort_by(&mut b, |x, y| x.0.cmp(&y.0));
            assert_eq!(a, b);
            let mut c = v.clone();
            sort_by_key(&mut c, |x| std::cmp::Reverse(x.0));
            let mut d = v;
            d.sort_by_key(|x| std::cmp::Reverse(x.0));
            assert_eq!(c, d);
        }
    }
}
