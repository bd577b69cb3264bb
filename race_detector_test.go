//go:build race

package smdomain_test

// raceDetector is true when the tests run under the race detector, which
// makes every call several times slower: the race tests run fewer races.
const raceDetector = true
