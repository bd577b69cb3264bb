package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/finegrained/smdomain"
)

func deleteUsage(w io.Writer) {
	fmt.Fprintln(w, "Usage: smdomain delete NAME [flags]")
	fmt.Fprintln(w, "       smdomain delete --domain-id d-... [flags]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Deletes the domain called NAME, or with the ID, and waits until it is gone. Asks nothing, so it")
	fmt.Fprintln(w, "suits CI. The home EFS volume (every user's home directory) is retained unless")
	fmt.Fprintln(w, "--delete-efs is given; a retained volume keeps its VPC from being deleted.")
	fmt.Fprintln(w, "A domain that does not exist is not an error. The service refuses to delete a")
	fmt.Fprintln(w, "domain that still has user profiles or spaces: delete names them and deletes")
	fmt.Fprintln(w, "nothing, unless --cascade is given, which deletes the domain's apps, then its")
	fmt.Fprintln(w, "spaces, then its user profiles, then the domain.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Flags:")
}

// runDelete is the delete command.
func runDelete(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	const prog = "smdomain delete"
	fs := flag.NewFlagSet("delete", flag.ContinueOnError)
	var (
		aws       awsFlags
		cl        clientFlags
		deleteEFS bool
		cascade   bool
		domainID  string
	)
	fs.BoolVar(&deleteEFS, "delete-efs", false, "also delete the home EFS volume and every user's home directory (default: retain it)")
	fs.BoolVar(&cascade, "cascade", false, "first delete the domain's apps, spaces and user profiles, in that order (default: refuse while they exist)")
	registerDomainID(fs, &domainID)
	aws.register(fs)
	cl.registerOwner(fs)
	cl.registerMaxWait(fs)
	pos, code := parseArgs(fs, args, deleteUsage, stdout, stderr)
	if code >= 0 {
		return code
	}
	domain, ok := parseDomainArg(prog, pos, domainID, stderr)
	if !ok {
		return exitFail
	}
	ctx, cancel := aws.withDeadline(ctx, cl.maxWait)
	defer cancel()
	p := newProgress(prog)
	cfg, err := aws.load(ctx)
	if err != nil {
		return p.fail(ctx, stderr, err)
	}
	client := smdomain.NewFromConfig(cfg, append(cl.options(), p.waitOption(stderr, prog+": ", 0))...)
	var opts []smdomain.DeleteOption
	if deleteEFS {
		opts = append(opts, smdomain.WithDeleteHomeEFS())
	}
	if cascade {
		opts = append(opts, smdomain.WithCascade())
	}
	return deleteDomain(ctx, client, domain, opts, deleteEFS, p, stdout, stderr)
}

// deleteDomain deletes the domain that domain names and says what went
// with it and what became of its home EFS volume. smdomain.Delete finds
// the domain by name, so one given by ID is read first for its name (a
// missing one is nothing to delete), and then it must be the one Delete
// found.
func deleteDomain(ctx context.Context, client *smdomain.Client, domain domainArg, opts []smdomain.DeleteOption, deleteEFS bool, p *progress, stdout, stderr io.Writer) int {
	name := domain.name
	if domain.id != "" {
		p.begin(false, "reading domain %s", domain)
		d, err := client.Get(ctx, domain.ref())
		if errors.Is(err, smdomain.ErrNotFound) {
			fmt.Fprintf(stdout, "domain %s not found: nothing to delete\n", domain)
			return exitOK
		}
		if err != nil {
			return p.fail(ctx, stderr, err)
		}
		name = d.Name
	}
	p.begin(true, "deleting domain %s", domain)
	res, err := client.Delete(ctx, name, opts...)
	var ambiguous *smdomain.AmbiguousNameError
	if domain.id != "" && errors.As(err, &ambiguous) {
		fmt.Fprintf(stderr, "%s: %v\n", p.prog, err)
		fmt.Fprintf(stderr, "%s: delete finds a domain by its name, so it cannot delete %s while another domain has the name; nothing was deleted\n", p.prog, domain.id)
		return exitFail
	}
	if err != nil {
		return p.fail(ctx, stderr, err)
	}
	if domain.id != "" && res.Domain != nil && res.Domain.ID != domain.id {
		// The domain went between Get and Delete, and another has its name.
		fmt.Fprintf(stderr, "%s: %s went while delete ran; by its name %q delete found domain %s instead, which it %s\n", p.prog, domain.id, name, res.Domain.ID, res.Action)
		return exitFail
	}
	if res.Action != smdomain.ActionDeleted {
		if res.Domain != nil {
			fmt.Fprintf(stdout, "domain %q is gone (it was already being deleted)\n", name)
		} else {
			fmt.Fprintf(stdout, "domain %q not found: nothing to delete\n", name)
		}
		return exitOK
	}
	for _, c := range res.Changes {
		fmt.Fprintf(stdout, "  deleted %s\n", c.Path)
	}
	fmt.Fprintf(stdout, "domain %q deleted\n", name)
	switch efs := res.Domain.HomeEFSFileSystemID; {
	case efs == "":
	case deleteEFS:
		fmt.Fprintf(stdout, "  home EFS volume %s deleted\n", efs)
	default:
		fmt.Fprintf(stdout, "  home EFS volume %s retained (delete it in EFS when its data is no longer needed)\n", efs)
	}
	return exitOK
}
