//! The form that asks for a step's placeholder values (`<container-id>`, `YOUR_USERNAME`)
//! before it runs: one field per placeholder, prefilled with what the learner gave earlier in
//! the chapter, and the command as it will run, updated as they type.

use crate::lesson::Step;

/// One placeholder and the value typed so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueField {
    /// What `--set` names, e.g. `container-id`.
    pub name: String,
    /// As written in the command, e.g. `<container-id>`.
    pub written: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValuesForm {
    pub chapter: usize,
    /// The step (index in the chapter) that runs once the form is complete.
    pub step: usize,
    pub fields: Vec<ValueField>,
    /// The field being typed into.
    pub focused: usize,
}

impl ValuesForm {
    /// The form for `step` (None when it has no placeholder), prefilled from `values`; the
    /// cursor starts on the first empty field.
    pub fn new(chapter: usize, step: &Step, values: &[(String, String)]) -> Option<Self> {
        let fields: Vec<ValueField> = step
            .reading
            .placeholders
            .iter()
            .map(|p| ValueField {
                name: p.name.clone(),
                written: p.written.clone(),
                value: values
                    .iter()
                    .find(|(n, _)| n.eq_ignore_ascii_case(&p.name))
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default(),
            })
            .collect();
        if fields.is_empty() {
            return None;
        }
        let focused = fields.iter().position(|f| f.value.is_empty()).unwrap_or(0);
        Some(ValuesForm {
            chapter,
            step: step.index,
            fields,
            focused,
        })
    }

    /// Every field has a value.
    pub fn complete(&self) -> bool {
        self.fields.iter().all(|f| !f.value.trim().is_empty())
    }

    /// The values given, by name.
    pub fn values(&self) -> Vec<(String, String)> {
        self.fields
            .iter()
            .filter(|f| !f.value.trim().is_empty())
            .map(|f| (f.name.clone(), f.value.trim().to_string()))
            .collect()
    }

    /// The command with the values typed so far; placeholders still empty stay as written.
    pub fn preview(&self, step: &Step) -> String {
        let mut script = step.copy_text().to_string();
        for field in self.fields.iter().filter(|f| !f.value.trim().is_empty()) {
            script = script.replace(&field.written, field.value.trim());
        }
        script
    }

    pub fn move_focus(&mut self, delta: isize) {
        let last = self.fields.len().saturating_sub(1);
        self.focused = self.focused.saturating_add_signed(delta).min(last);
    }

    pub fn type_char(&mut self, c: char) {
        if let Some(field) = self.fields.get_mut(self.focused)
            && !c.is_control()
        {
            field.value.push(c);
        }
    }

    pub fn backspace(&mut self) {
        if let Some(field) = self.fields.get_mut(self.focused) {
            field.value.pop();
        }
    }

    pub fn clear_field(&mut self) {
        if let Some(field) = self.fields.get_mut(self.focused) {
            field.value.clear();
        }
    }
}
