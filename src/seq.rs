//! `collect` as one loop. `xs.map(f).collect::<Result<Vec<_>, _>>()` is clear, but in the wasm
//! each such call site instantiates six functions (`try_process`, `GenericShunt`'s `next` and
//! `try_fold`, the adapter's `try_fold`, `SpecFromIter`, `extend_desugared`); the loop here is one
//! function per site. Used where a provider answer, a kept price list or a value from JS becomes
//! a list.

/// `f` over every item into a `Vec`, stopping at the first error (as `collect` into a `Result`).
pub fn try_map<I: IntoIterator, U, E>(xs: I, mut f: impl FnMut(I::Item) -> Result<U, E>) -> Result<Vec<U>, E> {
    let it = xs.into_iter();
    let mut out = Vec::with_capacity(it.size_hint().0);
    for x in it {
        out.push(f(x)?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::try_map;

    #[test]
    fn stops_at_the_first_error_like_collect() {
        let mut seen = vec![];
        let r: Result<Vec<i32>, String> = try_map([1, 2, -3, 4], |x| {
            seen.push(x);
            if x < 0 {
                Err(format!("bad {x}"))
            } else {
                Ok(x * 10)
            }
        });
        assert_eq!(r, Err("bad -3".to_string()));
        assert_eq!(seen, [1, 2, -3], "nothing after the error is looked at");
        assert_eq!(try_map([1, 2], |x| Ok::<_, ()>(x + 1)), Ok(vec![2, 3]));
        assert_eq!(try_map(Vec::<i32>::new(), Ok::<_, ()>), Ok(vec![]));
    }
}
