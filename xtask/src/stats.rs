//! Summaries of the bench's samples.

/// Median and 95th percentile of a set of samples (milliseconds, bytes, …).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    pub count: usize,
    pub median: f64,
    pub p95: f64,
    pub max: f64,
    /// The mean of the middle half (a quarter dropped at each end): steadier than the median when
    /// the samples fall in two groups (a storm with or without a collection or an extra frame in
    /// its window), where the median jumps from one group to the other on a single sample.
    pub middle_mean: f64,
}

/// `None` for no samples. The median averages the two middle samples of an even count; the p95
/// is the nearest-rank percentile (the smallest sample at or above 95 % of them), so it is always
/// a value that was measured and never understates the tail.
pub fn summarize(samples: &[f64]) -> Option<Summary> {
    if samples.is_empty() {
        return None;
    }
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    let median = if n % 2 == 1 { sorted[n / 2] } else { (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0 };
    let rank = (0.95 * n as f64).ceil() as usize;
    let middle = &sorted[n / 4..n - n / 4];
    Some(Summary {
        count: n,
        median,
        p95: sorted[rank.clamp(1, n) - 1],
        max: sorted[n - 1],
        middle_mean: middle.iter().sum::<f64>() / middle.len() as f64,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(summarize(&[3.0, 1.0, 2.0]).unwrap().median, 2.0);
        assert_eq!(summarize(&[4.0, 1.0, 3.0, 2.0]).unwrap().median, 2.5);
    }

    #[test]
    fn p95_is_the_nearest_rank() {
        let hundred: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(summarize(&hundred).unwrap().p95, 95.0);
        let twenty: Vec<f64> = (1..=20).map(f64::from).collect();
        assert_eq!(summarize(&twenty).unwrap().p95, 19.0);
        // Two slow samples in twenty make the p95: the tail is never averaged away.
        let mut tail = vec![1.0; 18];
        tail.extend([50.0, 60.0]);
        assert_eq!(summarize(&tail).unwrap().p95, 50.0);
    }

    #[test]
    fn middle_mean_drops_a_quarter_at_each_end() {
        // Two groups, as storms with and without a collection in their window: the median sits
        // on the edge between them, the middle mean between the two.
        let mut samples = vec![25.0; 10];
        samples.extend([45.0; 10]);
        samples.push(1000.0);
        let s = summarize(&samples).unwrap();
        assert_eq!(s.median, 45.0);
        assert_eq!(s.middle_mean, (5.0 * 25.0 + 6.0 * 45.0) / 11.0);
        assert_eq!(summarize(&[1.0, 2.0, 3.0]).unwrap().middle_mean, 2.0);
    }

    #[test]
    fn one_sample_and_none() {
        assert_eq!(summarize(&[7.0]), Some(Summary { count: 1, median: 7.0, p95: 7.0, max: 7.0, middle_mean: 7.0 }));
        assert_eq!(summarize(&[]), None);
    }
}
