// Package wire converts between aws-sdk-go-v2 SageMaker structs and the JSON
// documents of the awsJson1_1 protocol (member names as in the service model,
// timestamps as epoch seconds, unions as single-key objects).
//
// The SDK's own serializers are internal to it; this package is what the
// emulator, the spec's JSON form and the plan share. It works by reflection
// over exported fields, so a field the SDK adds later is carried automatically.
package wire

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
)

var timeType = reflect.TypeFor[time.Time]()

// Encode returns the generic JSON form of v: map[string]any for structures,
// []any for lists, string, bool, json.Number and nothing else. Nil pointers,
// nil slices and maps, and empty enum strings are left out, as the SDK's
// serializers leave them out. A nil or empty v encodes as nil.
func Encode(v any) any {
	return encodeValue(reflect.ValueOf(v))
}

// Marshal is Encode followed by encoding/json, with map keys sorted.
func Marshal(v any) ([]byte, error) {
	doc := Encode(v)
	if doc == nil {
		doc = map[string]any{}
	}
	return json.Marshal(doc)
}

func encodeValue(v reflect.Value) any {
	if !v.IsValid() {
		return nil
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		if v.Kind() == reflect.Interface {
			return encodeUnion(v.Elem())
		}
		return encodeValue(v.Elem())
	case reflect.Struct:
		if v.Type() == timeType {
			t := v.Interface().(time.Time)
			return json.Number(strconv.FormatFloat(float64(t.UnixMilli())/1000, 'f', -1, 64))
		}
		out := map[string]any{}
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() || f.Name == "ResultMetadata" {
				continue
			}
			if e := encodeValue(v.Field(i)); e != nil {
				out[f.Name] = e
			}
		}
		return out
	case reflect.Slice:
		if v.IsNil() {
			return nil
		}
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return nil // blobs do not occur in the shapes this package serves
		}
		out := make([]any, 0, v.Len())
		for i := 0; i < v.Len(); i++ {
			out = append(out, encodeValue(v.Index(i)))
		}
		return out
	case reflect.Map:
		if v.IsNil() {
			return nil
		}
		out := map[string]any{}
		iter := v.MapRange()
		for iter.Next() {
			out[iter.Key().String()] = encodeValue(iter.Value())
		}
		return out
	case reflect.String:
		if v.Type() != reflect.TypeFor[string]() && v.Len() == 0 {
			return nil // an unset enum
		}
		return v.String()
	case reflect.Bool:
		return v.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return json.Number(strconv.FormatInt(v.Int(), 10))
	case reflect.Float32, reflect.Float64:
		return json.Number(strconv.FormatFloat(v.Float(), 'g', -1, 64))
	}
	return nil
}

// encodeUnion encodes a union member such as
// *types.CustomFileSystemConfigMemberEFSFileSystemConfig as
// {"EFSFileSystemConfig": {...}}.
func encodeUnion(v reflect.Value) any {
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return nil
		}
		v = v.Elem()
	}
	name := v.Type().Name()
	i := strings.Index(name, "Member")
	if i < 0 || v.Kind() != reflect.Struct {
		return nil
	}
	f := v.FieldByName("Value")
	if !f.IsValid() {
		return nil
	}
	inner := encodeValue(f)
	if inner == nil {
		inner = map[string]any{}
	}
	return map[string]any{name[i+len("Member"):]: inner}
}

// unions maps each union interface the domain shapes use to its members by
// wire name. The SDK offers no registry of its own that is public.
var unions = map[reflect.Type]map[string]reflect.Type{
	reflect.TypeFor[types.CustomFileSystemConfig](): {
		"EFSFileSystemConfig":       reflect.TypeFor[types.CustomFileSystemConfigMemberEFSFileSystemConfig](),
		"FSxLustreFileSystemConfig": reflect.TypeFor[types.CustomFileSystemConfigMemberFSxLustreFileSystemConfig](),
		"S3FileSystemConfig":        reflect.TypeFor[types.CustomFileSystemConfigMemberS3FileSystemConfig](),
	},
	reflect.TypeFor[types.CustomFileSystem](): {
		"EFSFileSystem":       reflect.TypeFor[types.CustomFileSystemMemberEFSFileSystem](),
		"FSxLustreFileSystem": reflect.TypeFor[types.CustomFileSystemMemberFSxLustreFileSystem](),
		"S3FileSystem":        reflect.TypeFor[types.CustomFileSystemMemberS3FileSystem](),
	},
}

// FieldError reports a problem at one place in a document: where it does
// not fit the Go type it is decoded into (Decode), or a key given twice or
// data after the value (Parse, inside a *DocumentError).
type FieldError struct {
	Path   string // dotted path, e.g. DefaultUserSettings.SecurityGroups[2]
	Detail string
	Err    error // what kind of problem it is, when it has a name (ErrDuplicateKey, ...)
}

func (e *FieldError) Error() string {
	if e.Path == "" {
		return e.Detail
	}
	return e.Path + ": " + e.Detail
}

// Unwrap returns Err.
func (e *FieldError) Unwrap() error { return e.Err }

// Unmarshal decodes JSON text into out, a pointer to an SDK struct. Member
// names match exactly; an unknown member is a *FieldError naming it.
func Unmarshal(data []byte, out any) error {
	doc, err := Parse(data)
	if err != nil {
		return err
	}
	return Decode(doc, out)
}

// Decode stores a generic JSON value into out, a pointer. It is strict:
// unknown members, wrong types and out-of-range numbers are errors.
func Decode(doc any, out any) error {
	rv := reflect.ValueOf(out)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return &FieldError{Detail: fmt.Sprintf("decode into non-pointer %T", out)}
	}
	return decodeValue(doc, rv.Elem(), "")
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

func decodeValue(doc any, v reflect.Value, path string) error {
	if doc == nil {
		v.Set(reflect.Zero(v.Type()))
		return nil
	}
	bad := func(want string) error {
		return &FieldError{Path: path, Detail: fmt.Sprintf("expected %s, got %s", want, jsonKind(doc))}
	}
	switch v.Kind() {
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		if err := decodeValue(doc, p.Elem(), path); err != nil {
			return err
		}
		v.Set(p)
		return nil
	case reflect.Interface:
		members, ok := unions[v.Type()]
		if !ok {
			return &FieldError{Path: path, Detail: "unsupported type " + v.Type().String()}
		}
		m, ok := doc.(map[string]any)
		if !ok {
			return bad("object")
		}
		if len(m) != 1 {
			return &FieldError{Path: path, Detail: "a union takes exactly one member"}
		}
		for k, inner := range m {
			t, ok := members[k]
			if !ok {
				return &FieldError{Path: join(path, k), Detail: "unknown field"}
			}
			p := reflect.New(t)
			if err := decodeValue(inner, p.Elem().FieldByName("Value"), join(path, k)); err != nil {
				return err
			}
			v.Set(p)
		}
		return nil
	case reflect.Struct:
		if v.Type() == timeType {
			n, ok := doc.(json.Number)
			if !ok {
				return bad("epoch seconds")
			}
			f, err := n.Float64()
			if err != nil {
				return bad("epoch seconds")
			}
			sec, frac := math.Modf(f)
			v.Set(reflect.ValueOf(time.Unix(int64(sec), int64(math.Round(frac*1000))*int64(time.Millisecond)).UTC()))
			return nil
		}
		m, ok := doc.(map[string]any)
		if !ok {
			return bad("object")
		}
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			f, ok := v.Type().FieldByName(k)
			if !ok || !f.IsExported() || k == "ResultMetadata" || len(f.Index) != 1 {
				return &FieldError{Path: join(path, k), Detail: "unknown field"}
			}
			if err := decodeValue(m[k], v.FieldByIndex(f.Index), join(path, k)); err != nil {
				return err
			}
		}
		return nil
	case reflect.Slice:
		l, ok := doc.([]any)
		if !ok {
			return bad("array")
		}
		s := reflect.MakeSlice(v.Type(), len(l), len(l))
		for i, e := range l {
			if err := decodeValue(e, s.Index(i), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
		v.Set(s)
		return nil
	case reflect.Map:
		m, ok := doc.(map[string]any)
		if !ok {
			return bad("object")
		}
		out := reflect.MakeMapWithSize(v.Type(), len(m))
		for _, k := range slices.Sorted(maps.Keys(m)) { // the first error is always the same one
			ev := reflect.New(v.Type().Elem()).Elem()
			if err := decodeValue(m[k], ev, join(path, k)); err != nil {
				return err
			}
			out.SetMapIndex(reflect.ValueOf(k).Convert(v.Type().Key()), ev)
		}
		v.Set(out)
		return nil
	case reflect.String:
		s, ok := doc.(string)
		if !ok {
			return bad("string")
		}
		v.SetString(s)
		return nil
	case reflect.Bool:
		b, ok := doc.(bool)
		if !ok {
			return bad("boolean")
		}
		v.SetBool(b)
		return nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, ok := doc.(json.Number)
		if !ok {
			return bad("integer")
		}
		i, err := strconv.ParseInt(string(n), 10, 64)
		if err != nil || v.OverflowInt(i) {
			return &FieldError{Path: path, Detail: fmt.Sprintf("%s is not an integer in range", n)}
		}
		v.SetInt(i)
		return nil
	case reflect.Float32, reflect.Float64:
		n, ok := doc.(json.Number)
		if !ok {
			return bad("number")
		}
		f, err := n.Float64()
		if err != nil {
			return bad("number")
		}
		v.SetFloat(f)
		return nil
	}
	return &FieldError{Path: path, Detail: "unsupported type " + v.Type().String()}
}

func jsonKind(doc any) string {
	switch doc.(type) {
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case string:
		return "string"
	case bool:
		return "boolean"
	case json.Number, float64:
		return "number"
	}
	return fmt.Sprintf("%T", doc)
}

// Clone returns a deep copy of *src, a pointer to an SDK struct: every
// pointer, slice, map and union member is copied, so the copy shares no
// memory with src.
func Clone[T any](src *T) *T {
	if src == nil {
		return nil
	}
	out := new(T)
	copyValue(reflect.ValueOf(out).Elem(), reflect.ValueOf(src).Elem())
	return out
}

func copyValue(dst, src reflect.Value) {
	switch src.Kind() {
	case reflect.Pointer:
		if src.IsNil() {
			return
		}
		p := reflect.New(src.Type().Elem())
		copyValue(p.Elem(), src.Elem())
		dst.Set(p)
	case reflect.Interface:
		if src.IsNil() {
			return
		}
		c := reflect.New(src.Elem().Type()).Elem()
		copyValue(c, src.Elem())
		dst.Set(c)
	case reflect.Struct:
		if src.Type() == timeType {
			dst.Set(src)
			return
		}
		for i := 0; i < src.NumField(); i++ {
			if src.Type().Field(i).IsExported() {
				copyValue(dst.Field(i), src.Field(i))
			}
		}
	case reflect.Slice:
		if src.IsNil() {
			return
		}
		s := reflect.MakeSlice(src.Type(), src.Len(), src.Len())
		for i := 0; i < src.Len(); i++ {
			copyValue(s.Index(i), src.Index(i))
		}
		dst.Set(s)
	case reflect.Map:
		if src.IsNil() {
			return
		}
		m := reflect.MakeMapWithSize(src.Type(), src.Len())
		iter := src.MapRange()
		for iter.Next() {
			e := reflect.New(src.Type().Elem()).Elem()
			copyValue(e, iter.Value())
			m.SetMapIndex(iter.Key(), e)
		}
		dst.Set(m)
	default:
		dst.Set(src)
	}
}
