package smdomain_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/finegrained/smdomain"
	"github.com/finegrained/smdomain/smdomaintest"
)

// Two teams' tooling share an account. Each Client has an owner: the domain
// team A creates carries its tag, and team B's Client refuses to touch it.
func ExampleNotOwnedError() {
	clock := smdomaintest.NewFakeClock(exampleStart)
	srv := smdomaintest.NewServer(smdomaintest.WithClock(clock))
	defer srv.Close()
	teamA := smdomain.NewFromConfig(srv.AWSConfig(), smdomain.WithClock(clock), smdomain.WithOwner("team-a"))
	teamB := smdomain.NewFromConfig(srv.AWSConfig(), smdomain.WithClock(clock), smdomain.WithOwner("team-b"))
	spec, err := smdomain.NewSpec("research", smdomain.WithExecutionRole(role))
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	if _, err := teamA.Ensure(ctx, spec); err != nil {
		fmt.Println(err)
		return
	}

	_, err = teamB.Delete(ctx, smdomain.ByName("research"))
	var noe *smdomain.NotOwnedError
	if errors.As(err, &noe) {
		fmt.Printf("team-b refused: owned by %q\n", noe.Owner)
	}
	res, err := teamA.Delete(ctx, smdomain.ByName("research"))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("team-a:", res.Action)
	// Output:
	// team-b refused: owned by "team-a"
	// team-a: deleted
}
