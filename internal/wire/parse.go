package wire

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// maxDepth bounds how deeply arrays and objects may nest, as encoding/json
// bounds it, so that hostile text cannot exhaust the stack.
const maxDepth = 10000

// ErrDuplicateKey and ErrTrailingData are what the problems of a
// *DocumentError wrap; match them with errors.Is.
var (
	ErrDuplicateKey = errors.New("key given more than once")
	ErrTrailingData = errors.New("data after the JSON value")
)

// SyntaxError reports JSON text that is not well-formed.
type SyntaxError struct {
	// Line and Column are where the problem was found, from 1; Column
	// counts characters, not bytes.
	Line, Column int
	// Offset is the number of bytes before that position.
	Offset int64
	// Msg says what is wrong, e.g. "invalid character '}' after object key".
	Msg string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("line %d, column %d: %s", e.Line, e.Column, e.Msg)
}

// DocumentError reports well-formed JSON text that is still not one
// document: an object that has a key more than once (at any depth), or
// data after the value. Problems holds one *FieldError per key given more
// than once, with the key's path (e.g. DefaultUserSettings.ExecutionRole),
// wrapping ErrDuplicateKey, and one with an empty path wrapping
// ErrTrailingData; they come in the order of the text.
type DocumentError struct {
	Problems []*FieldError
}

func (e *DocumentError) Error() string {
	msgs := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		msgs[i] = p.Error()
	}
	return strings.Join(msgs, "; ")
}

// Unwrap returns the problems, so that errors.Is(err, ErrDuplicateKey)
// holds for a document with a duplicate key.
func (e *DocumentError) Unwrap() []error {
	errs := make([]error, len(e.Problems))
	for i, p := range e.Problems {
		errs[i] = p
	}
	return errs
}

// Parse decodes JSON text into its generic form, keeping numbers as
// json.Number. Text that is not JSON is a *SyntaxError with the line and
// column of the problem; a key given twice in one object, at any depth, or
// anything but white space after the value is a *DocumentError naming
// every such problem. Parse returns a value only when there is no error.
func Parse(data []byte) (any, error) {
	p := &parser{data: data, dec: json.NewDecoder(bytes.NewReader(data))}
	p.dec.UseNumber()
	doc, err := p.value("", 0)
	if err != nil {
		return nil, err
	}
	rest := bytes.TrimLeft(data[p.dec.InputOffset():], jsonSpace)
	if len(rest) > 0 {
		at := int64(len(data) - len(rest))
		p.problems = append(p.problems, &FieldError{
			Detail: fmt.Sprintf("%v at %s", ErrTrailingData, p.position(at)),
			Err:    ErrTrailingData,
		})
	}
	if len(p.problems) > 0 {
		return nil, &DocumentError{Problems: p.problems}
	}
	return doc, nil
}

// parser builds the generic form token by token, which is what lets it see
// every key of an object (encoding/json keeps the last of equal keys).
type parser struct {
	data     []byte
	dec      *json.Decoder
	problems []*FieldError
	// dups holds, by path, the index in problems of each key given more
	// than once.
	dups map[string]int
}

// value reads the value at path.
func (p *parser) value(path string, depth int) (any, error) {
	start := p.next()
	tok, err := p.dec.Token()
	if err != nil {
		return nil, p.syntax(err)
	}
	delim, ok := tok.(json.Delim)
	if !ok {
		return tok, nil
	}
	if depth >= maxDepth {
		return nil, p.syntaxAt(start, fmt.Sprintf("arrays and objects nested more than %d deep", maxDepth))
	}
	if delim == '[' {
		list := []any{}
		for p.dec.More() {
			v, err := p.value(fmt.Sprintf("%s[%d]", path, len(list)), depth+1)
			if err != nil {
				return nil, err
			}
			list = append(list, v)
		}
		return list, p.end()
	}
	obj := map[string]any{}
	first := map[string]int64{} // where each key first appears
	for p.dec.More() {
		at := p.next()
		tok, err := p.dec.Token()
		if err != nil {
			return nil, p.syntax(err)
		}
		key := tok.(string) // the decoder accepts nothing else here
		v, err := p.value(join(path, key), depth+1)
		if err != nil {
			return nil, err
		}
		if was, seen := first[key]; seen {
			p.duplicate(join(path, key), was, at)
		} else {
			first[key] = at
		}
		obj[key] = v
	}
	return obj, p.end()
}

// end reads the delimiter that closes an array or object.
func (p *parser) end() error {
	if _, err := p.dec.Token(); err != nil {
		return p.syntax(err)
	}
	return nil
}

// duplicate records that the key at path, first at offset was, appears
// again at offset at. A key given three times is one problem.
func (p *parser) duplicate(path string, was, at int64) {
	if i, ok := p.dups[path]; ok {
		p.problems[i].Detail += ", " + p.position(at)
		return
	}
	if p.dups == nil {
		p.dups = map[string]int{}
	}
	p.dups[path] = len(p.problems)
	p.problems = append(p.problems, &FieldError{
		Path:   path,
		Detail: fmt.Sprintf("%v: at %s, %s", ErrDuplicateKey, p.position(was), p.position(at)),
		Err:    ErrDuplicateKey,
	})
}

// jsonSpace is the white space JSON allows between tokens.
const jsonSpace = " \t\r\n"

// next returns the offset of the next token: past the white space, comma
// or colon that follow the last one read (the decoder checks those when it
// reads the token).
func (p *parser) next() int64 {
	rest := bytes.TrimLeft(p.data[p.dec.InputOffset():], jsonSpace+",:")
	return int64(len(p.data) - len(rest))
}

// syntax turns a decoder error into a *SyntaxError.
func (p *parser) syntax(err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return p.syntaxAt(min(se.Offset, int64(len(p.data))), se.Error())
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		if len(bytes.TrimLeft(p.data, jsonSpace)) == 0 {
			return p.syntaxAt(int64(len(p.data)), "no JSON value")
		}
		return p.syntaxAt(int64(len(p.data)), "unexpected end of JSON input")
	}
	return err
}

func (p *parser) syntaxAt(offset int64, msg string) *SyntaxError {
	line, col := p.lineColumn(offset)
	return &SyntaxError{Line: line, Column: col, Offset: offset, Msg: msg}
}

// position renders offset as "line L, column C".
func (p *parser) position(offset int64) string {
	line, col := p.lineColumn(offset)
	return fmt.Sprintf("line %d, column %d", line, col)
}

func (p *parser) lineColumn(offset int64) (line, column int) {
	before := p.data[:offset]
	lineStart := bytes.LastIndexByte(before, '\n') + 1
	return bytes.Count(before, []byte{'\n'}) + 1, utf8.RuneCount(before[lineStart:]) + 1
}
