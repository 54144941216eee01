//! Scoring predicted pairs against gold pairs: a predicted pair is correct
//! when its (file, source, target) equals a gold pair's after trimming both
//! texts (and, for the lenient score, after collapsing every whitespace run
//! to one space); each gold pair matches at most once (multiset match).

use std::collections::HashMap;

/// Counts of one scoring run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Score {
    /// Predicted pairs.
    pub predicted: usize,
    /// Gold pairs.
    pub gold: usize,
    /// Predicted pairs that matched a gold pair.
    pub correct: usize,
}

impl Score {
    /// correct / predicted (1 when nothing was predicted).
    pub fn precision(&self) -> f64 {
        if self.predicted == 0 {
            1.0
        } else {
            self.correct as f64 / self.predicted as f64
        }
    }

    /// correct / gold (1 when there is no gold pair).
    pub fn recall(&self) -> f64 {
        if self.gold == 0 {
            1.0
        } else {
            self.correct as f64 / self.gold as f64
        }
    }

    /// The harmonic mean of precision and recall.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }

    /// Adds another run's counts.
    pub fn add(&mut self, other: Score) {
        self.predicted += other.predicted;
        self.gold += other.gold;
        self.correct += other.correct;
    }
}

/// A text as compared: trimmed, and for `lenient` with every whitespace run
/// collapsed to one space.
pub fn normalize(s: &str, lenient: bool) -> String {
    let s = s.trim();
    if !lenient {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            space = true;
        } else {
            if space {
                out.push(' ');
                space = false;
            }
            out.push(c);
        }
    }
    out
}

/// Scores `predicted` against `gold`, both `(file, source, target)`.
pub fn score<'a>(
    gold: impl IntoIterator<Item = (&'a str, &'a str, &'a str)>,
    predicted: impl IntoIterator<Item = (&'a str, &'a str, &'a str)>,
    lenient: bool,
) -> Score {
    let mut left: HashMap<(&str, String, String), usize> = HashMap::new();
    let mut s = Score::default();
    for (f, a, b) in gold {
        *left
            .entry((f, normalize(a, lenient), normalize(b, lenient)))
            .or_insert(0) += 1;
        s.gold += 1;
    }
    for (f, a, b) in predicted {
        s.predicted += 1;
        if let Some(n) = left.get_mut(&(f, normalize(a, lenient), normalize(b, lenient))) {
            if *n > 0 {
                *n -= 1;
                s.correct += 1;
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multiset_match_and_lenient_whitespace() {
        let gold = [("f", "A b.", "X."), ("f", "C.", "Y.")];
        let pred = [
            ("f", " A\nb. ", "X."),
            ("f", "A b.", "X."),
            ("g", "C.", "Y."),
        ];
        let strict = score(gold, pred, false);
        assert_eq!((strict.correct, strict.predicted, strict.gold), (1, 3, 2));
        let lenient = score(gold, pred, true);
        assert_eq!(lenient.correct, 1, "the second A b. has no gold pair left");
        assert!((lenient.precision() - 1.0 / 3.0).abs() < 1e-9);
        assert!((lenient.recall() - 0.5).abs() < 1e-9);
    }
}
