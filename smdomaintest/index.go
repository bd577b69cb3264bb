package smdomaintest

import (
	"cmp"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
)

// This file holds the indexes requests reach resources through, so that
// no request does work in proportion to everything the emulator holds:
// maps by key, and lists in creation order for the List operations.

// childKey names a user profile or a space: unique within its domain.
// Domain IDs are unique across regions, so the region is not part of it.
// A user profile's key holds its name in lower case (profileKey), since
// the service says profile names are not case sensitive; a space's holds
// its name as it is.
type childKey struct {
	domainID string
	name     string
}

// profileKey returns the key of the user profile name of domainID: the
// same for "alice" and "ALICE".
func profileKey(domainID, name string) childKey {
	return childKey{domainID, strings.ToLower(name)}
}

// byCreation is a list of resources in creation order (ascending seq),
// the order every List operation pages in. Resources are appended as they
// are created, so it is never sorted; a page starts with a binary search.
type byCreation[O any] []*resource[O]

func (l *byCreation[O]) add(r *resource[O]) { *l = append(*l, r) }

func (l *byCreation[O]) remove(r *resource[O]) {
	if i, ok := l.search(r.seq); ok {
		*l = slices.Delete(*l, i, i+1)
	}
}

// search returns where seq is, or would be, in l.
func (l byCreation[O]) search(seq int64) (int, bool) {
	return slices.BinarySearchFunc(l, seq, func(r *resource[O], seq int64) int { return cmp.Compare(r.seq, seq) })
}

// next returns the first resource after position pos (a seq, 0 for the
// start) in ascending order, or in descending order when desc; nil when
// there is none.
func (l byCreation[O]) next(pos int64, desc bool) *resource[O] {
	i, found := l.search(pos)
	switch {
	case desc && pos == 0:
		i = len(l)
	case !desc && found:
		i++
	}
	if desc {
		i--
	}
	if i < 0 || i >= len(l) {
		return nil
	}
	return l[i]
}

// walk returns the page of *l that a List request asks for: starting
// after the position in token, in creation order or its reverse when
// desc, the first maxResults (default 10) resources that keep accepts,
// and the token of the next page when there is one. keep settles the
// resource it is given and reports whether it exists and matches the
// request's filters; since it may drop resources from *l, the walk goes
// by position, never by index. A page costs in proportion to what it
// walks over, not to the length of *l.
func walk[O any](l *byCreation[O], maxResults *int32, token *string, kind string, desc bool, keep func(*resource[O]) bool) ([]*resource[O], *string, *apiError) {
	pos, err := decodeToken(token, kind)
	if err != nil {
		return nil, nil, err
	}
	limit := 10
	if maxResults != nil {
		limit = int(*maxResults)
	}
	var page []*resource[O]
	for r := l.next(pos, desc); r != nil; r = l.next(pos, desc) {
		pos = r.seq
		if !keep(r) {
			continue
		}
		if len(page) == limit {
			return page, encodeToken(kind, page[limit-1].seq), nil
		}
		page = append(page, r)
	}
	return page, nil, nil
}

// lists holds user profiles, spaces and apps in creation order: all of
// them, or those of one domain.
type lists struct {
	profiles byCreation[sagemaker.DescribeUserProfileOutput]
	spaces   byCreation[sagemaker.DescribeSpaceOutput]
	apps     byCreation[sagemaker.DescribeAppOutput]
}

// family is what lives in one domain, with the apps of each owner and the
// spaces each user profile owns. Owners are keyed by name (a profile's in
// lower case), not by resource, as the service knows them. The lists are
// held by pointer, so that a walk over one sees the drops it causes.
type family struct {
	lists
	ownerApps   map[appOwner]*byCreation[sagemaker.DescribeAppOutput]
	ownedSpaces map[string]*byCreation[sagemaker.DescribeSpaceOutput]
}

func newFamily() *family {
	return &family{
		ownerApps:   map[appOwner]*byCreation[sagemaker.DescribeAppOutput]{},
		ownedSpaces: map[string]*byCreation[sagemaker.DescribeSpaceOutput]{},
	}
}

// addUnder adds r to the list m holds under k.
func addUnder[K comparable, O any](m map[K]*byCreation[O], k K, r *resource[O]) {
	l := m[k]
	if l == nil {
		l = new(byCreation[O])
		m[k] = l
	}
	l.add(r)
}

// removeUnder removes r from the list m holds under k, and the list from
// m when it is left empty.
func removeUnder[K comparable, O any](m map[K]*byCreation[O], k K, r *resource[O]) {
	if l := m[k]; l != nil {
		l.remove(r)
		if len(*l) == 0 {
			delete(m, k)
		}
	}
}

// under returns the list m holds under k; an empty one when there is
// none.
func under[K comparable, O any](m map[K]*byCreation[O], k K) *byCreation[O] {
	if l := m[k]; l != nil {
		return l
	}
	return new(byCreation[O])
}

// familyIn returns what lives in the domain id: nothing when the domain
// is not in the request's region.
func (e *Emulator) familyIn(req *request, id string) *family {
	if _, err := e.find(req, id); err != nil {
		return newFamily()
	}
	return e.families[id]
}

// listsFor returns the lists a List request walks: those of the domain
// id when the request filters on it, else all of them.
func (e *Emulator) listsFor(req *request, id *string) *lists {
	if id == nil {
		return &e.all
	}
	return &e.familyIn(req, *id).lists
}
