package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"

	"github.com/finegrained/smdomain"
)

func deleteUsage(w io.Writer) {
	fmt.Fprintln(w, "Usage: smdomain delete NAME [flags]")
	fmt.Fprintln(w, "       smdomain delete --domain-id d-... [flags]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Deletes the domain called NAME, or with the ID, and waits until it is gone.")
	fmt.Fprintln(w, "Asks nothing, so it suits CI. The home EFS volume (every user's home directory)")
	fmt.Fprintln(w, "is retained unless --delete-efs is given; a retained volume keeps its VPC from")
	fmt.Fprintln(w, "being deleted. A domain that does not exist is not an error. The service")
	fmt.Fprintln(w, "refuses to delete a domain that still has user profiles or spaces: delete names")
	fmt.Fprintln(w, "them and deletes nothing, unless --cascade is given, which deletes the domain's")
	fmt.Fprintln(w, "apps, then its spaces, then its user profiles, then the domain. delete finds")
	fmt.Fprintln(w, "the domain by its name: given --domain-id, it reads the name first and refuses")
	fmt.Fprintln(w, "while another domain has it. With -o json, prints what it did as one JSON")
	fmt.Fprintln(w, "document: Action (deleted, or unchanged when there was no such domain),")
	fmt.Fprintln(w, "DomainId, DomainArn, DomainName, Changes (what a cascade deleted),")
	fmt.Fprintln(w, "HomeEfsFileSystemId and RetentionPolicy.HomeEfsFileSystem (Retain or Delete).")
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
	output := registerOutput(fs, "text", "json")
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
	client := smdomain.NewFromConfig(cfg, append(cl.options(), p.reportOptions(stderr, prog+": ", 0)...)...)
	var opts []smdomain.DeleteOption
	if deleteEFS {
		opts = append(opts, smdomain.WithDeleteHomeEFS())
	}
	if cascade {
		opts = append(opts, smdomain.WithCascade())
	}
	return deleteDomain(ctx, client, domain, opts, deleteEFS, output.format, p, stdout, stderr)
}

// deleteDomain deletes the domain that domain names and says what went
// with it and what became of its home EFS volume. smdomain.Delete finds
// the domain by name, so one given by ID is read first for its name (a
// missing one is nothing to delete), and then it must be the one Delete
// found.
func deleteDomain(ctx context.Context, client *smdomain.Client, domain domainArg, opts []smdomain.DeleteOption, deleteEFS bool, output string, p *progress, stdout, stderr io.Writer) int {
	res, code := deleteNamed(ctx, client, domain, opts, p, stderr)
	if code >= 0 {
		return code
	}
	if output == "json" {
		doc := deleteDoc{resultDoc: newResultDoc(res)}
		if res.Domain == nil {
			doc.domainDoc = domainDoc{DomainID: domain.id, DomainName: domain.name}
		}
		if res.Action == smdomain.ActionDeleted {
			doc.HomeEfsFileSystemID = res.Domain.HomeEFSFileSystemID
			doc.RetentionPolicy = &retentionDoc{HomeEfsFileSystem: types.RetentionTypeRetain}
			if deleteEFS {
				doc.RetentionPolicy.HomeEfsFileSystem = types.RetentionTypeDelete
			}
		}
		if err := writeJSON(stdout, doc); err != nil {
			return p.fail(ctx, stderr, err)
		}
		return exitOK
	}
	switch {
	case res.Action == smdomain.ActionDeleted:
	case res.Domain != nil:
		fmt.Fprintf(stdout, "domain %q is gone (it was already being deleted)\n", res.Domain.Name)
		return exitOK
	default:
		fmt.Fprintf(stdout, "domain %s not found: nothing to delete\n", domain)
		return exitOK
	}
	for _, c := range res.Changes {
		fmt.Fprintf(stdout, "  deleted %s\n", c.Path)
	}
	fmt.Fprintf(stdout, "domain %q deleted\n", res.Domain.Name)
	switch efs := res.Domain.HomeEFSFileSystemID; {
	case efs == "":
	case deleteEFS:
		fmt.Fprintf(stdout, "  home EFS volume %s deleted\n", efs)
	default:
		fmt.Fprintf(stdout, "  home EFS volume %s retained (delete it in EFS when its data is no longer needed)\n", efs)
	}
	return exitOK
}

// deleteNamed runs Delete for the domain that domain names, by name or by
// ID. A status >= 0 means the command ends with it, the problem reported
// on stderr.
func deleteNamed(ctx context.Context, client *smdomain.Client, domain domainArg, opts []smdomain.DeleteOption, p *progress, stderr io.Writer) (*smdomain.Result, int) {
	p.begin(true, "deleting domain %s", domain)
	res, err := client.Delete(ctx, domain.ref(), opts...)
	if err != nil {
		return nil, p.fail(ctx, stderr, err)
	}
	return res, -1
}
