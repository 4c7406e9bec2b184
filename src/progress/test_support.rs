//! Fake courses for unit tests of progress, class summaries and bundles.

use crate::lesson::{
    Chapter, Course, CourseSource, FrontMatter, SourcePos, Step, StepAttrs, StepKind,
};

/// A course with chapters named by slug, each with `n` command steps `<slug>-<i>`.
pub fn fake_course(chapters: &[(&str, usize)]) -> Course {
    let chapters = chapters
        .iter()
        .enumerate()
        .map(|(ci, (slug, n))| Chapter {
            slug: slug.to_string(),
            file_name: format!("{:02}-{slug}.md", ci + 1),
            display_path: format!("lessons/{:02}-{slug}.md", ci + 1),
            title: slug.to_string(),
            front: FrontMatter::default(),
            markdown: Default::default(),
            body_first_line: 1,
            steps: (0..*n)
                .map(|i| Step {
                    id: format!("{slug}-{}", i + 1),
                    index: i,
                    kind: StepKind::Command {
                        script: "true".into(),
                    },
                    lang: "sh".into(),
                    code: "true".into(),
                    attrs: StepAttrs::default(),
                    pos: SourcePos {
                        file: slug.to_string(),
                        line: 1,
                        column: 1,
                    },
                    span: 0..0,
                    task: None,
                    reading: Default::default(),
                })
                .collect(),
        })
        .collect();
    Course {
        id: "fake".into(),
        title: "Fake".into(),
        description: None,
        version: Some("1".into()),
        images: vec![],
        source: CourseSource::Embedded,
        chapters,
        assets: vec![],
        diagnostics: vec![],
    }
}

/// A one-chapter course (`ch`) whose steps run the given scripts.
pub fn fake_course_with_scripts(scripts: &[&str]) -> Course {
    let mut course = fake_course(&[("ch", scripts.len())]);
    for (step, script) in course.chapters[0].steps.iter_mut().zip(scripts) {
        step.kind = StepKind::Command {
            script: script.to_string(),
        };
        step.code = script.to_string();
    }
    course
}
