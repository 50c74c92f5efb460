//! SVG charts with plotters: grouped bars and lines over labelled categories. Text is left to
//! the browser's fonts (no font feature), so Chinese labels render wherever the page is opened.
use plotters::prelude::*;

const WIDTH: u32 = 720;
const HEIGHT: u32 = 300;
const FONT: &str = "sans-serif";
pub const BLUE: RGBColor = RGBColor(0, 82, 217);
pub const GREY: RGBColor = RGBColor(166, 182, 204);
pub const GREEN: RGBColor = RGBColor(0, 168, 112);
pub const ORANGE: RGBColor = RGBColor(237, 123, 47);

/// A named series of values, one per label.
pub struct Series<'a, T> {
    pub name: &'a str,
    pub color: RGBColor,
    pub values: Vec<T>,
}

fn failed(e: impl std::fmt::Display) -> anyhow::Error {
    anyhow::anyhow!("chart: {e}")
}

fn label_at(labels: &[String], x: f64) -> String {
    // Labels sit at the middle of each category: 0.5, 1.5, …
    let i = (x - 0.5).round();
    if (x - 0.5 - i).abs() > 1e-6 || i < 0.0 {
        return String::new();
    }
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    labels.get(i as usize).cloned().unwrap_or_default()
}

/// Grouped vertical bars: one group per label, one bar per series.
pub fn bars(title: &str, labels: &[String], series: &[Series<'_, u64>]) -> anyhow::Result<String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).map_err(failed)?;
        let top = series.iter().flat_map(|s| s.values.iter().copied()).max().unwrap_or(0);
        #[allow(clippy::cast_precision_loss)]
        let y_max = ((top as f64) * 1.2).max(4.0).ceil();
        // Whole numbers only: as many labels as fit, never a repeated one.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let y_labels = (y_max as usize).min(10) + 1;
        #[allow(clippy::cast_precision_loss)]
        let n = labels.len().max(1) as f64;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, (FONT, 18))
            .margin(12)
            .x_label_area_size(32)
            .y_label_area_size(44)
            .build_cartesian_2d(0f64..n, 0f64..y_max)
            .map_err(failed)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(labels.len() * 2 + 1)
            .x_label_formatter(&|x| label_at(labels, *x))
            .y_labels(y_labels)
            .y_label_formatter(&|y| format!("{y:.0}"))
            .light_line_style(TRANSPARENT)
            .label_style((FONT, 12))
            .draw()
            .map_err(failed)?;
        #[allow(clippy::cast_precision_loss)]
        let width = 0.7 / series.len().max(1) as f64;
        for (k, s) in series.iter().enumerate() {
            #[allow(clippy::cast_precision_loss)]
            let offset = 0.15 + width * k as f64;
            let color = s.color;
            chart
                .draw_series(s.values.iter().enumerate().map(|(i, v)| {
                    #[allow(clippy::cast_precision_loss)]
                    let x = i as f64 + offset;
                    #[allow(clippy::cast_precision_loss)]
                    Rectangle::new([(x, 0.0), (x + width * 0.9, *v as f64)], color.filled())
                }))
                .map_err(failed)?
                .label(s.name)
                .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 14, y + 5)], color.filled()));
        }
        if series.len() > 1 {
            chart
                .configure_series_labels()
                .position(SeriesLabelPosition::UpperRight)
                .label_font((FONT, 12))
                .background_style(WHITE.mix(0.8))
                .border_style(GREY)
                .draw()
                .map_err(failed)?;
        }
        root.present().map_err(failed)?;
    }
    Ok(svg)
}

/// Lines of rates (0..=1, drawn as percentages); a missing value breaks nothing, it is left out.
pub fn rate_lines(title: &str, labels: &[String], series: &[Series<'_, Option<f64>>]) -> anyhow::Result<String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).map_err(failed)?;
        #[allow(clippy::cast_precision_loss)]
        let n = labels.len().max(1) as f64;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, (FONT, 18))
            .margin(12)
            .x_label_area_size(32)
            .y_label_area_size(44)
            .build_cartesian_2d(0f64..n, 0f64..100f64)
            .map_err(failed)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(labels.len() * 2 + 1)
            .x_label_formatter(&|x| label_at(labels, *x))
            .y_labels(6)
            .y_label_formatter(&|y| format!("{y:.0}%"))
            .light_line_style(TRANSPARENT)
            .label_style((FONT, 12))
            .draw()
            .map_err(failed)?;
        for s in series {
            let color = s.color;
            #[allow(clippy::cast_precision_loss)]
            let points: Vec<(f64, f64)> = s
                .values
                .iter()
                .enumerate()
                .filter_map(|(i, v)| v.map(|v| (i as f64 + 0.5, v * 100.0)))
                .collect();
            chart
                .draw_series(LineSeries::new(points.clone(), color.stroke_width(2)))
                .map_err(failed)?
                .label(s.name)
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], color.stroke_width(2)));
            chart
                .draw_series(points.into_iter().map(|p| Circle::new(p, 3, color.filled())))
                .map_err(failed)?;
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerRight)
            .label_font((FONT, 12))
            .background_style(WHITE.mix(0.8))
            .border_style(GREY)
            .draw()
            .map_err(failed)?;
        root.present().map_err(failed)?;
    }
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_and_lines_are_svg_with_their_labels() {
        let labels = vec!["11/9".to_owned(), "11/16".to_owned()];
        let svg = bars(
            "按周诉求量",
            &labels,
            &[Series {
                name: "诉求",
                color: BLUE,
                values: vec![3, 5],
            }],
        )
        .unwrap();
        assert!(svg.starts_with("<svg"), "{}", &svg[..80]);
        assert!(svg.contains("按周诉求量") && svg.contains("11/16"));
        // Two bars (plus the background and the plot area).
        assert!(svg.matches("<rect").count() >= 3);
        let lines = rate_lines(
            "办结率与满意率",
            &labels,
            &[Series {
                name: "办结率",
                color: GREEN,
                values: vec![None, Some(0.5)],
            }],
        )
        .unwrap();
        assert!(lines.contains("办结率") && lines.contains("100%"));
        // One point: the missing value is left out, not drawn at zero.
        assert_eq!(lines.matches("<circle").count(), 1);
    }
}
