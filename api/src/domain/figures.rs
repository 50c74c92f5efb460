//! Rates and means as the figures show them: rounded, and None rather than a division by zero.

/// `a ÷ b`, or None when there is nothing to divide.
pub fn rate(a: i64, b: i64) -> Option<f64> {
    #[allow(clippy::cast_precision_loss)]
    (b > 0).then(|| (a as f64 / b as f64 * 10000.0).round() / 10000.0)
}

/// Mean hours, one decimal.
pub fn mean_hours(sum_secs: i64, n: i64) -> Option<f64> {
    #[allow(clippy::cast_precision_loss)]
    (n > 0).then(|| (sum_secs as f64 / n as f64 / 3600.0 * 10.0).round() / 10.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_and_means_refuse_to_divide_by_nothing() {
        assert_eq!(rate(99, 100), Some(0.99));
        assert_eq!(rate(1, 3), Some(0.3333));
        assert_eq!(rate(0, 0), None);
        assert_eq!(mean_hours(7200, 2), Some(1.0));
        assert_eq!(mean_hours(0, 0), None);
    }
}
