//! Scenario tests: captured docker outputs through FakeProbe.
