//! The dashboard's own state (sort, filter, selection, which view) and its keys. Pure: the
//! rows come from the class state; tests drive it without a terminal.

use std::collections::VecDeque;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::class_live::Activity;
use crate::class_live::state::Row;

/// How the learners are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortBy {
    /// Stuck ones first, longest on their step first; then the others, longest first.
    Stuck,
    Name,
    /// Least progress first.
    Progress,
    /// Longest on their step first.
    TimeHere,
}

impl SortBy {
    fn next(self) -> SortBy {
        match self {
            SortBy::Stuck => SortBy::Name,
            SortBy::Name => SortBy::Progress,
            SortBy::Progress => SortBy::TimeHere,
            SortBy::TimeHere => SortBy::Stuck,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SortBy::Stuck => "stuck first",
            SortBy::Name => "name",
            SortBy::Progress => "least progress",
            SortBy::TimeHere => "time on step",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Learners,
    Class,
}

/// What the dashboard's header says about the server: the join code, the addresses learners
/// can reach it at, its database file.
#[derive(Debug, Clone, Default)]
pub struct ServerInfo {
    pub code: String,
    pub urls: Vec<String>,
    pub data: String,
}

#[derive(Debug, Clone)]
pub struct Dashboard {
    pub header: ServerInfo,
    pub sort: SortBy,
    pub filter: String,
    pub editing_filter: bool,
    pub only_stuck: bool,
    pub selected: usize,
    /// Showing the selected learner's last failure.
    pub detail: bool,
    pub tab: Tab,
    /// The latest activity lines, newest last.
    pub activity: VecDeque<String>,
    pub quit: bool,
}

const ACTIVITY_LINES: usize = 50;

impl Dashboard {
    pub fn new(header: ServerInfo) -> Dashboard {
        Dashboard {
            header,
            sort: SortBy::Stuck,
            filter: String::new(),
            editing_filter: false,
            only_stuck: false,
            selected: 0,
            detail: false,
            tab: Tab::Learners,
            activity: VecDeque::new(),
            quit: false,
        }
    }

    pub fn note(&mut self, activity: &Activity) {
        let line = activity.to_string();
        if self.activity.len() == ACTIVITY_LINES {
            self.activity.pop_front();
        }
        self.activity.push_back(line);
    }

    /// The rows shown, filtered and sorted.
    pub fn visible(&self, mut rows: Vec<Row>) -> Vec<Row> {
        let filter = self.filter.to_lowercase();
        rows.retain(|r| {
            (!self.only_stuck || r.stuck)
                && (filter.is_empty()
                    || r.name.to_lowercase().contains(&filter)
                    || r.step.as_deref().is_some_and(|s| s.contains(&filter))
                    || r.chapter.as_ref().is_some_and(|(_, s)| s.contains(&filter)))
        });
        let name = |r: &Row| r.name.to_lowercase();
        match self.sort {
            SortBy::Stuck => rows.sort_by(|a, b| {
                b.stuck
                    .cmp(&a.stuck)
                    .then(a.left.cmp(&b.left))
                    .then(b.time_here.cmp(&a.time_here))
                    .then_with(|| name(a).cmp(&name(b)))
            }),
            SortBy::Name => rows.sort_by_key(name),
            SortBy::Progress => rows.sort_by(|a, b| {
                (a.passed * b.total.max(1))
                    .cmp(&(b.passed * a.total.max(1)))
                    .then_with(|| name(a).cmp(&name(b)))
            }),
            SortBy::TimeHere => rows.sort_by(|a, b| {
                b.time_here
                    .cmp(&a.time_here)
                    .then_with(|| name(a).cmp(&name(b)))
            }),
        }
        rows
    }

    /// Applies a key; `shown` is how many rows are visible (to keep the selection in range).
    pub fn key(&mut self, key: KeyEvent, shown: usize) {
        if self.editing_filter {
            match key.code {
                KeyCode::Enter | KeyCode::Esc => self.editing_filter = false,
                KeyCode::Backspace => {
                    self.filter.pop();
                }
                KeyCode::Char(c)
                    if !key.modifiers.contains(KeyModifiers::CONTROL)
                        && self.filter.chars().count() < 40 =>
                {
                    self.filter.push(c)
                }
                _ => {}
            }
            self.selected = 0;
            return;
        }
        match key.code {
            KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => self.quit = true,
            KeyCode::Char('q') => self.quit = true,
            KeyCode::Esc if self.detail => self.detail = false,
            KeyCode::Esc => {
                self.filter.clear();
                self.only_stuck = false;
            }
            KeyCode::Enter => self.detail = !self.detail && shown > 0,
            KeyCode::Char('s') => self.sort = self.sort.next(),
            KeyCode::Char('f') => {
                self.only_stuck = !self.only_stuck;
                self.selected = 0;
            }
            KeyCode::Char('/') => {
                self.editing_filter = true;
                self.detail = false;
            }
            KeyCode::Tab | KeyCode::Char('c') => {
                self.tab = match self.tab {
                    Tab::Learners => Tab::Class,
                    Tab::Class => Tab::Learners,
                };
                self.detail = false;
            }
            KeyCode::Down | KeyCode::Char('j') => self.selected += 1,
            KeyCode::Up | KeyCode::Char('k') => self.selected = self.selected.saturating_sub(1),
            KeyCode::Home | KeyCode::Char('g') => self.selected = 0,
            KeyCode::End | KeyCode::Char('G') => self.selected = shown,
            _ => {}
        }
        self.selected = self.selected.min(shown.saturating_sub(1));
    }
}
