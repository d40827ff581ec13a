//! Credential values and thresholds they clear, one pair per claim kind: the test suites and the
//! benchmarks prove these, so their figures and checks are about the same statements.

use resource_zk_verifier::ClaimKind;

/// The values of a credential of `kind` and thresholds they clear: rating 4.6 stars over 120
/// reviews against 4.5 and 100, revenue 12,500 a month against 10,000, tenure 30 months against 24.
pub fn sample(kind: ClaimKind) -> (Vec<u64>, Vec<u64>) {
    match kind {
        ClaimKind::Rating => (vec![46, 120], vec![45, 100]),
        ClaimKind::Revenue => (vec![12_500], vec![10_000]),
        ClaimKind::Tenure => (vec![30], vec![24]),
    }
}

/// [`sample`] of every kind, in [`ClaimKind::ALL`] order: (kind, values, thresholds).
pub fn samples() -> [(ClaimKind, Vec<u64>, Vec<u64>); 3] {
    ClaimKind::ALL.map(|kind| {
        let (values, thresholds) = sample(kind);
        (kind, values, thresholds)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sample_clears_its_thresholds_and_fits_its_kind() {
        for (kind, values, thresholds) in samples() {
            let v = kind.check_values(&values, "values").unwrap();
            let t = kind.check_values(&thresholds, "thresholds").unwrap();
            assert!(v.0.iter().zip(t.0.iter()).all(|(v, t)| v >= t), "{kind}");
        }
    }
}
