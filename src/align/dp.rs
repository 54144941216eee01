//! Dynamic programming over beads: the cheapest monotone path through two
//! sequences, each step (a bead) taking `di` items of the first and `dj` of
//! the second. The search stays in a band around the diagonal wide enough
//! for the difference in length plus a margin, so its cost is linear in the
//! sequences' length for a fixed margin; a pair of sequences too far apart
//! for the band to stay small gets no path (the caller falls back).

/// One step of a path: `di` items of the first sequence from `i`, `dj` of
/// the second from `j`, and what the step cost.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Step {
    pub i: usize,
    pub j: usize,
    pub di: usize,
    pub dj: usize,
    pub cost: f64,
}

/// Cells at most in a band; beyond it [`align`] returns `None`.
const MAX_CELLS: usize = 1 << 21;

/// The cheapest path from `(0, 0)` to `(n, m)` with steps from `beads`
/// (each `(di, dj)`, not both zero, each at most 2), `cost(i, j, di, dj)`
/// giving a step's cost. `margin` widens the band around the diagonal.
/// `None` when the band would be too large.
pub(crate) fn align(
    n: usize,
    m: usize,
    margin: usize,
    beads: &[(usize, usize)],
    mut cost: impl FnMut(usize, usize, usize, usize) -> f64,
) -> Option<Vec<Step>> {
    // j - i along the path lies in [dmin, dmax] for the straight paths;
    // the margin lets it wander.
    let dmin = (m as i64 - n as i64).min(0) - margin as i64;
    let dmax = (m as i64 - n as i64).max(0) + margin as i64;
    let width = usize::try_from(dmax - dmin + 1).ok()?;
    if width.checked_mul(n + 1)? > MAX_CELLS {
        return None;
    }
    let lo = |i: usize| -> usize { (i as i64 + dmin).max(0) as usize };
    let hi = |i: usize| -> usize { ((i as i64 + dmax).max(0) as usize).min(m) };
    let idx = |i: usize, j: usize| -> Option<usize> {
        if j < lo(i) || j > hi(i) {
            None
        } else {
            Some(i * width + (j as i64 - i as i64 - dmin) as usize)
        }
    };
    let mut best = vec![f64::INFINITY; width * (n + 1)];
    let mut back = vec![u8::MAX; width * (n + 1)];
    let mut step_cost = vec![0f64; width * (n + 1)];
    if let Some(z) = idx(0, 0) {
        best[z] = 0.0;
    }
    for i in 0..=n {
        for j in lo(i)..=hi(i) {
            let Some(here) = idx(i, j) else { continue };
            for (k, &(di, dj)) in beads.iter().enumerate() {
                if di > i || dj > j || (di == 0 && dj == 0) {
                    continue;
                }
                let Some(from) = idx(i - di, j - dj) else {
                    continue;
                };
                let base = best[from];
                if !base.is_finite() {
                    continue;
                }
                let c = cost(i - di, j - dj, di, dj);
                let total = base + c;
                if total < best[here] {
                    best[here] = total;
                    back[here] = k as u8;
                    step_cost[here] = c;
                }
            }
        }
    }
    let mut path = Vec::new();
    let (mut i, mut j) = (n, m);
    while i > 0 || j > 0 {
        let here = idx(i, j)?;
        let &(di, dj) = beads.get(back[here] as usize)?;
        path.push(Step {
            i: i - di,
            j: j - dj,
            di,
            dj,
            cost: step_cost[here],
        });
        i -= di;
        j -= dj;
    }
    path.reverse();
    Some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_cheap_diagonal_and_skips() {
        // a: 1 2 3, b: 1 9 2 3 → 1-1, 0-1 (9), 1-1, 1-1
        let a = [1, 2, 3];
        let b = [1, 9, 2, 3];
        let beads = [(1, 1), (1, 0), (0, 1)];
        let path = align(3, 4, 4, &beads, |i, j, di, dj| {
            if di == 1 && dj == 1 {
                if a[i] == b[j] {
                    0.0
                } else {
                    5.0
                }
            } else {
                1.0
            }
        })
        .unwrap();
        let shape: Vec<_> = path.iter().map(|s| (s.i, s.j, s.di, s.dj)).collect();
        assert_eq!(
            shape,
            vec![(0, 0, 1, 1), (1, 1, 0, 1), (1, 2, 1, 1), (2, 3, 1, 1)]
        );
    }

    #[test]
    fn empty_sequences() {
        let p = align(0, 2, 1, &[(1, 1), (0, 1), (1, 0)], |_, _, _, _| 1.0).unwrap();
        assert_eq!(p.len(), 2);
        assert!(align(0, 0, 1, &[(1, 1)], |_, _, _, _| 1.0)
            .unwrap()
            .is_empty());
    }
}
