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
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Deletes the domain called NAME and waits until it is gone. Asks nothing, so it")
	fmt.Fprintln(w, "suits CI. The home EFS volume (every user's home directory) is retained unless")
	fmt.Fprintln(w, "--delete-efs is given; a retained volume keeps its VPC from being deleted.")
	fmt.Fprintln(w, "A domain that does not exist is not an error. The domain's user profiles,")
	fmt.Fprintln(w, "spaces and apps must be deleted first; the service refuses otherwise.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Exit status: 0 when no domain has the name any more, 1 on any error, 2 on a bad flag.")
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
	)
	fs.BoolVar(&deleteEFS, "delete-efs", false, "also delete the home EFS volume and every user's home directory (default: retain it)")
	aws.register(fs)
	cl.registerMaxWait(fs)
	pos, code := parseArgs(fs, args, deleteUsage, stdout, stderr, exitUsage)
	if code >= 0 {
		return code
	}
	if len(pos) != 1 {
		fmt.Fprintf(stderr, "%s: want one domain name, got %d arguments\n", prog, len(pos))
		return exitUsage
	}
	cfg, err := aws.load(ctx)
	if err != nil {
		printError(stderr, prog, err)
		return exitFail
	}
	client := smdomain.NewFromConfig(cfg, append(cl.options(), progressTo(stderr, prog+": ", 0))...)
	return deleteDomain(ctx, client, pos[0], deleteEFS, stdout, stderr)
}

// deleteDomain deletes the domain called name and says what became of its
// home EFS volume.
func deleteDomain(ctx context.Context, client *smdomain.Client, name string, deleteEFS bool, stdout, stderr io.Writer) int {
	const prog = "smdomain delete"
	efs := ""
	switch d, err := client.Get(ctx, name); {
	case errors.Is(err, smdomain.ErrNotFound):
	case err != nil:
		printError(stderr, prog, err)
		return exitFail
	default:
		efs = d.HomeEFSFileSystemID
	}
	var opts []smdomain.DeleteOption
	if deleteEFS {
		opts = append(opts, smdomain.WithDeleteHomeEFS())
	}
	res, err := client.Delete(ctx, name, opts...)
	if err != nil {
		printError(stderr, prog, err)
		return exitFail
	}
	if res.Action != smdomain.ActionDeleted {
		if efs != "" {
			fmt.Fprintf(stdout, "domain %q is gone (it was already being deleted)\n", name)
		} else {
			fmt.Fprintf(stdout, "domain %q not found: nothing to delete\n", name)
		}
		return exitOK
	}
	fmt.Fprintf(stdout, "domain %q deleted\n", name)
	switch {
	case efs == "":
	case deleteEFS:
		fmt.Fprintf(stdout, "  home EFS volume %s deleted\n", efs)
	default:
		fmt.Fprintf(stdout, "  home EFS volume %s retained (delete it in EFS when its data is no longer needed)\n", efs)
	}
	return exitOK
}
