//! mdBook preprocessor directives ({{#include}}, {{#rustdoc_include}}, {{#playground}}, {{#title}}) expanded in a chapter's text.
