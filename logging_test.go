package smdomain_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"

	"github.com/finegrained/smdomain"
)

// TestLoggerRecordsActionsNotValues runs a create, an update and a delete
// with a logger at Debug level and checks that the log tells what happened
// (the domain, its statuses, the fields changed) without any setting's
// value: role ARNs, KMS keys, security groups, tag values.
func TestLoggerRecordsActionsNotValues(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	e := newEnv(t, smdomain.WithLogger(logger))
	const kms = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	spec := mustSpec(t, "logged", seedOptions(smdomain.WithKMSKey(kms),
		smdomain.WithTags(map[string]string{"Secret": "tag-value-not-for-logs"}))...)
	created := mustEnsure(t, e.client, spec)
	mustEnsure(t, e.client, mustSpec(t, "logged", seedOptions(smdomain.WithKMSKey(kms),
		smdomain.WithAppNetworkAccessType(types.AppNetworkAccessTypeVpcOnly),
		smdomain.WithTags(map[string]string{"Secret": "tag-value-not-for-logs"}))...))
	if _, err := e.client.Delete(context.Background(), smdomain.ByName("logged")); err != nil {
		t.Fatal(err)
	}
	log := buf.String()
	for _, want := range []string{created.Domain.ID, "created domain", "updated domain", "AppNetworkAccessType", "deleting domain", "status=Pending", "status=Updating"} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %q:\n%s", want, log)
		}
	}
	for _, secret := range []string{kms, testRole, "sg-0abc1234def567890", "tag-value-not-for-logs", "VpcOnly"} {
		if strings.Contains(log, secret) {
			t.Errorf("log contains the value %q:\n%s", secret, log)
		}
	}
}
