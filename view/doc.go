// Package view turns engine results into the JSON shapes that `ratecycle ... --format
// json` prints and the dashboard's API serves, so the two shells can never disagree.
// Missing numbers (NaN) become null.
//
// view only converts; it never loads data or computes a statistic.
package view
