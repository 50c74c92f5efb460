//! What a bench promises: its targets, printed as met or not after the figures, and an exit
//! status that says whether all were met (so a script or a person running it by hand sees a
//! miss without reading the table).
pub struct Targets(Vec<(String, bool)>);

impl Default for Targets {
    fn default() -> Self {
        Self::new()
    }
}

impl Targets {
    pub fn new() -> Self {
        Self(Vec::new())
    }

    /// Records one target and whether it was met.
    pub fn check(&mut self, what: impl Into<String>, met: bool) {
        self.0.push((what.into(), met));
    }

    /// The targets missed so far.
    pub fn missed(&self) -> Vec<&str> {
        self.0.iter().filter(|(_, met)| !met).map(|(w, _)| w.as_str()).collect()
    }

    /// Prints every target and exits with status 1 when one was missed.
    #[allow(clippy::print_stdout, clippy::print_stderr)]
    pub fn finish(self) {
        println!("\ntargets:");
        for (what, met) in &self.0 {
            println!("  {} {what}", if *met { "met    " } else { "NOT MET" });
        }
        let missed = self.missed().len();
        if missed > 0 {
            eprintln!("{missed} of {} targets missed", self.0.len());
            std::process::exit(1);
        }
    }
}

/// The `q`-quantile (0 to 1) of sorted samples, in milliseconds.
pub fn quantile_ms(sorted: &[std::time::Duration], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss
    )]
    let i = ((sorted.len() - 1) as f64 * q).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missed_target_is_named() {
        let mut t = Targets::new();
        t.check("fast", true);
        t.check("faster", false);
        assert_eq!(t.missed(), ["faster"]);
        let ms = |n| std::time::Duration::from_millis(n);
        assert_eq!(quantile_ms(&[ms(1), ms(2), ms(3)], 0.5), 2.0);
        assert_eq!(quantile_ms(&[], 0.99), 0.0);
    }
}
