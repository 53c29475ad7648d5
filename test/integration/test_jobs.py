"""The Job, CronJob and ttl-after-finished controllers of `tug server`, driven with the real
kubectl on hollow nodes (test/tools/hollow_nodes). Pods finish because their template carries
hollow.tug.dev/exit-after-seconds (and hollow.tug.dev/exit-code for failures); templates name
a hollow node in spec.nodeName, so no scheduler is involved.

Every server listens on 127.0.0.1 on a free port with its data in a temporary directory.
"""

import datetime
import json
import time
import unittest

from test_workloads import WorkloadsTestCase

JOBS = "/apis/batch/v1/namespaces/default/jobs"
CRONJOBS = "/apis/batch/v1/namespaces/default/cronjobs"


def pod_template(exit_after=None, exit_code=None, node="hollow-0"):
    annotations = {}
    if exit_after is not None:
        annotations["hollow.tug.dev/exit-after-seconds"] = str(exit_after)
    if exit_code is not None:
        annotations["hollow.tug.dev/exit-code"] = str(exit_code)
    return {"metadata": {"annotations": annotations},
            "spec": {"nodeName": node, "restartPolicy": "Never",
                     "containers": [{"name": "work", "image": "busybox:1.36"}]}}


def job_manifest(name, exit_after=1, exit_code=None, **spec):
    spec["template"] = pod_template(exit_after, exit_code)
    return {"apiVersion": "batch/v1", "kind": "Job",
            "metadata": {"name": name, "namespace": "default"}, "spec": spec}


def cronjob_manifest(name, schedule="* * * * *", **spec):
    spec.update({"schedule": schedule,
                 "jobTemplate": {"metadata": {"labels": {"from": name}},
                                 "spec": {"template": pod_template(1)}}})
    return {"apiVersion": "batch/v1", "kind": "CronJob",
            "metadata": {"name": name, "namespace": "default"}, "spec": spec}


def condition_types(obj):
    return [c["type"] for c in obj.get("status", {}).get("conditions", [])
            if c["status"] == "True"]


class JobsTestCase(WorkloadsTestCase):
    wait_timeout = 60

    def job(self, name):
        return self.get(JOBS + "/" + name)

    def job_pods(self, name):
        return self.pods("batch.kubernetes.io/job-name=" + name)

    def events_of(self, name):
        items = self.get("/api/v1/namespaces/default/events")["items"]
        return [(e["reason"], e["message"]) for e in items
                if e["involvedObject"]["name"] == name]

    def wait_event(self, name, reason, message):
        return self.wait_until(lambda: (reason, message) in self.events_of(name),
                               "event %s %r on %s" % (reason, message, name))

    def assert_controller_ref(self, obj, kind, owner):
        refs = obj["metadata"].get("ownerReferences", [])
        self.assertEqual(len(refs), 1, obj["metadata"])
        ref = refs[0]
        self.assertEqual((ref["apiVersion"], ref["kind"], ref["name"], ref["uid"]),
                         ("batch/v1", kind, owner["metadata"]["name"], owner["metadata"]["uid"]))
        self.assertIs(ref["controller"], True)
        self.assertIs(ref["blockOwnerDeletion"], True)

    def wait_condition(self, kind, name, condition, timeout="60s"):
        out = self.ok("wait", "--for=condition=" + condition, kind + "/" + name,
                      "--timeout=" + timeout)
        self.assertIn("condition met", out)


class JobTest(JobsTestCase):
    def test_job_runs_pods_to_completions_within_parallelism(self):
        self.apply(job_manifest("count", completions=3, parallelism=2))
        # Two pods at first, never more than parallelism running at once.
        pods = self.wait_until(lambda: len(self.job_pods("count")) >= 2 and
                               self.job_pods("count"), "the first pods")
        self.assertEqual(len(pods), 2)
        self.wait_condition("job", "count", "complete")
        job = self.job("count")
        status = job["status"]
        self.assertEqual(status["succeeded"], 3)
        self.assertNotIn("active", status)
        self.assertNotIn("failed", status)
        self.assertEqual(status["ready"], 0)
        self.assertEqual(status["terminating"], 0)
        self.assertIn("startTime", status)
        self.assertIn("completionTime", status)
        self.assertEqual(condition_types(job), ["SuccessCriteriaMet", "Complete"])
        complete = [c for c in status["conditions"] if c["type"] == "Complete"][0]
        self.assertEqual(complete["reason"], "CompletionsReached")
        self.assertEqual(complete["message"], "Reached expected number of succeeded pods")

        pods = self.job_pods("count")
        self.assertEqual(len(pods), 3)
        uid = job["metadata"]["uid"]
        for pod in pods:
            labels = pod["metadata"]["labels"]
            self.assertEqual(labels["batch.kubernetes.io/job-name"], "count")
            self.assertEqual(labels["job-name"], "count")
            self.assertEqual(labels["batch.kubernetes.io/controller-uid"], uid)
            self.assertEqual(labels["controller-uid"], uid)
            self.assertTrue(pod["metadata"]["name"].startswith("count-"))
            self.assertEqual(pod["status"]["phase"], "Succeeded")
            self.assert_controller_ref(pod, "Job", job)
            # Counted: the tracking finalizer is off.
            self.assertNotIn("batch.kubernetes.io/job-tracking",
                             pod["metadata"].get("finalizers", []))
        self.assertEqual(status["uncountedTerminatedPods"], {})
        self.wait_event("count", "Completed", "Job completed")
        created = [m for r, m in self.events_of("count") if r == "SuccessfulCreate"]
        self.assertEqual(sorted(created),
                         sorted("Created pod: " + p["metadata"]["name"] for p in pods))
        out = self.ok("get", "job", "count")
        self.assertRegex(out, r"count\s+Complete\s+3/3")

    def test_indexed_job_gives_each_pod_an_index(self):
        self.apply(job_manifest("idx", completions=3, parallelism=3, completionMode="Indexed"))
        self.wait_condition("job", "idx", "complete")
        job = self.job("idx")
        self.assertEqual(job["status"]["completedIndexes"], "0-2")
        self.assertEqual(job["status"]["succeeded"], 3)
        pods = self.job_pods("idx")
        indexes = sorted(p["metadata"]["annotations"]["batch.kubernetes.io/job-completion-index"]
                         for p in pods)
        self.assertEqual(indexes, ["0", "1", "2"])
        for pod in pods:
            index = pod["metadata"]["annotations"]["batch.kubernetes.io/job-completion-index"]
            self.assertEqual(pod["metadata"]["labels"]["batch.kubernetes.io/job-completion-index"],
                             index)
            self.assertEqual(pod["spec"]["hostname"], "idx-" + index)
            self.assertTrue(pod["metadata"]["name"].startswith("idx-%s-" % index))
            env = pod["spec"]["containers"][0]["env"]
            self.assertIn({"name": "JOB_COMPLETION_INDEX", "valueFrom": {"fieldRef": {
                "apiVersion": "v1",
                "fieldPath": "metadata.labels['batch.kubernetes.io/job-completion-index']"}}},
                env)

    def test_failed_pods_beyond_backoff_limit_fail_the_job(self):
        self.apply(job_manifest("flaky", exit_code=3, backoffLimit=1))
        self.wait_condition("job", "flaky", "failed", timeout="60s")
        job = self.job("flaky")
        self.assertEqual(job["status"]["failed"], 2)
        self.assertNotIn("succeeded", job["status"])
        self.assertEqual(condition_types(job), ["FailureTarget", "Failed"])
        failed = [c for c in job["status"]["conditions"] if c["type"] == "Failed"][0]
        self.assertEqual(failed["reason"], "BackoffLimitExceeded")
        self.assertEqual(failed["message"], "Job has reached the specified backoff limit")
        self.assertNotIn("completionTime", job["status"])
        pods = self.job_pods("flaky")
        self.assertEqual([p["status"]["phase"] for p in pods], ["Failed", "Failed"])
        term = pods[0]["status"]["containerStatuses"][0]["state"]["terminated"]
        self.assertEqual(term["exitCode"], 3)
        self.wait_event("flaky", "BackoffLimitExceeded",
                        "Job has reached the specified backoff limit")

    def test_pod_failure_policy_fails_the_job_or_ignores_the_failure(self):
        policy = {"rules": [
            {"action": "FailJob", "onExitCodes": {"containerName": "work", "operator": "In",
                                                  "values": [42]}},
            {"action": "Ignore", "onExitCodes": {"operator": "In", "values": [3]}}]}
        # Exit code 42 ends the Job at the first failure, though backoffLimit allows six.
        self.apply(job_manifest("fatal", exit_code=42, backoffLimit=6, podFailurePolicy=policy))
        self.wait_condition("job", "fatal", "failed", timeout="60s")
        job = self.job("fatal")
        failed = [c for c in job["status"]["conditions"] if c["type"] == "Failed"][0]
        self.assertEqual(failed["reason"], "PodFailurePolicy")
        pod = self.job_pods("fatal")[0]["metadata"]["name"]
        self.assertEqual(failed["message"], "Container work for pod default/%s failed with exit "
                         "code 42 matching FailJob rule at index 0" % pod)
        self.assertEqual(job["status"]["failed"], 1)
        self.assertEqual(len(self.job_pods("fatal")), 1)

        # Exit code 3 is ignored: with backoffLimit 0 the Job keeps replacing its pods.
        self.apply(job_manifest("shrug", exit_code=3, backoffLimit=0, podFailurePolicy=policy))
        self.wait_until(lambda: len([p for p in self.job_pods("shrug")
                                     if p["status"].get("phase") == "Failed"]) >= 2,
                        "two ignored failures")
        job = self.job("shrug")
        self.assertNotIn("failed", job["status"])
        self.assertEqual(condition_types(job), [])
        self.ok("delete", "job", "shrug")

        # The policy is checked: restartPolicy must be Never, and 0 is no failure.
        bad = job_manifest("bad", exit_code=1, podFailurePolicy={"rules": [
            {"action": "FailJob", "onExitCodes": {"operator": "In", "values": [0]}}]})
        bad["spec"]["template"]["spec"]["restartPolicy"] = "OnFailure"
        r = self.run_kubectl("apply", "-f", "-", stdin=json.dumps(bad))
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("spec.podFailurePolicy.rules[0].onExitCodes.values[0]: Invalid value: 0: "
                      "must not be 0 for the In operator", r.stderr)
        self.assertIn('spec.template.spec.restartPolicy: Invalid value: "OnFailure": only '
                      '"Never" is supported when podFailurePolicy is specified', r.stderr)
        self.assertEqual(self.call("GET", JOBS + "/bad")[0], 404)

    def test_active_deadline_deletes_running_pods(self):
        self.apply(job_manifest("slow", exit_after=None, parallelism=2, completions=2,
                                activeDeadlineSeconds=2))
        self.wait_condition("job", "slow", "failed", timeout="30s")
        job = self.job("slow")
        failed = [c for c in job["status"]["conditions"] if c["type"] == "Failed"][0]
        self.assertEqual(failed["reason"], "DeadlineExceeded")
        self.assertEqual(failed["message"], "Job was active longer than specified deadline")
        self.assertNotIn("active", job["status"])
        self.wait_until(lambda: not self.job_pods("slow"), "the job's pods to go")

    def test_pods_of_a_deleted_job_go_with_it(self):
        self.apply(job_manifest("gone", exit_after=None, parallelism=2, completions=2))
        pods = self.wait_until(lambda: len(self.job_pods("gone")) == 2 and self.job_pods("gone"),
                               "two pods")
        for pod in pods:
            self.assertIn("batch.kubernetes.io/job-tracking", pod["metadata"]["finalizers"])
        self.wait_until(lambda: self.job("gone").get("status", {}).get("ready") == 2, "ready pods")
        self.ok("delete", "job", "gone")
        self.wait_until(lambda: not self.job_pods("gone"), "the pods to be deleted", timeout=30)

    def test_suspended_job_runs_once_resumed(self):
        self.apply(job_manifest("later", suspend=True))
        job = self.wait_until(lambda: "Suspended" in condition_types(self.job("later")) and
                              self.job("later"), "the Suspended condition")
        suspended = [c for c in job["status"]["conditions"] if c["type"] == "Suspended"][0]
        self.assertEqual(suspended["reason"], "JobSuspended")
        self.assertEqual(self.job_pods("later"), [])
        self.ok("patch", "job", "later", "--type=merge", "-p", '{"spec":{"suspend":false}}')
        self.wait_condition("job", "later", "complete")
        job = self.job("later")
        suspended = [c for c in job["status"]["conditions"] if c["type"] == "Suspended"][0]
        self.assertEqual((suspended["status"], suspended["reason"]), ("False", "JobResumed"))

    def test_finished_job_is_deleted_after_its_ttl(self):
        self.apply(job_manifest("brief", ttlSecondsAfterFinished=1))
        self.wait_condition("job", "brief", "complete")
        self.wait_until(lambda: self.call("GET", JOBS + "/brief")[0] == 404,
                        "the job to be deleted", timeout=30)
        self.wait_until(lambda: not self.job_pods("brief"), "its pods to be deleted", timeout=30)


INDEX = "batch.kubernetes.io/job-completion-index"
FAILURE_COUNT = "batch.kubernetes.io/job-index-failure-count"


def indexed_job(name, completions, exit_indexes=None, fail_indexes=None, exit_code=None,
                **spec):
    """An Indexed Job whose pods finish after a second: only those of exit_indexes when given
    (the others run until deleted), failing for the indexes in fail_indexes."""
    manifest = job_manifest(name, exit_code=exit_code, completionMode="Indexed",
                            completions=completions, parallelism=completions, **spec)
    annotations = manifest["spec"]["template"]["metadata"]["annotations"]
    if exit_indexes is not None:
        annotations["hollow.tug.dev/exit-indexes"] = exit_indexes
    if fail_indexes is not None:
        annotations["hollow.tug.dev/fail-indexes"] = fail_indexes
    return manifest


class IndexedJobPolicyTest(JobsTestCase):
    """backoffLimitPerIndex, maxFailedIndexes, the FailIndex action and successPolicy."""

    def condition(self, job, kind):
        found = [c for c in job["status"].get("conditions", []) if c["type"] == kind]
        self.assertEqual(len(found), 1, job["status"])
        return found[0]

    def pods_by_index(self, name):
        by_index = {}
        for pod in self.job_pods(name):
            by_index.setdefault(int(pod["metadata"]["annotations"][INDEX]), []).append(pod)
        return by_index

    def test_backoff_limit_per_index_retries_and_fails_only_that_index(self):
        self.apply(indexed_job("per", 3, fail_indexes="1", backoffLimitPerIndex=1))
        self.wait_condition("job", "per", "failed", timeout="90s")
        job = self.job("per")
        status = job["status"]
        self.assertEqual(status["failedIndexes"], "1")
        self.assertEqual(status["completedIndexes"], "0,2")
        self.assertEqual((status["failed"], status["succeeded"]), (2, 2))
        self.assertNotIn("active", status)
        self.assertEqual(status["terminating"], 0)
        self.assertEqual(status["uncountedTerminatedPods"], {})
        self.assertEqual(condition_types(job), ["FailureTarget", "Failed"])
        failed = self.condition(job, "Failed")
        self.assertEqual((failed["reason"], failed["message"]),
                         ("FailedIndexes", "Job has failed indexes"))
        # Spec defaults: the global limit is effectively unlimited with a per-index one.
        self.assertEqual(job["spec"]["backoffLimit"], 2147483647)
        by_index = self.pods_by_index("per")
        # Index 1 ran twice, the replacement one failure further; the others once.
        self.assertEqual(sorted(p["metadata"]["annotations"][FAILURE_COUNT]
                                for p in by_index[1]), ["0", "1"])
        self.assertEqual([p["status"]["phase"] for p in by_index[1]], ["Failed", "Failed"])
        for index in (0, 2):
            self.assertEqual(len(by_index[index]), 1)
            self.assertEqual(by_index[index][0]["metadata"]["annotations"][FAILURE_COUNT], "0")
            self.assertEqual(by_index[index][0]["status"]["phase"], "Succeeded")
        for pod in self.job_pods("per"):
            self.assertNotIn("batch.kubernetes.io/job-tracking",
                             pod["metadata"].get("finalizers", []))
        self.wait_event("per", "FailedIndexes", "Job has failed indexes")
        out = self.ok("get", "job", "per")
        self.assertRegex(out, r"per\s+Failed\s+2/3")

    def test_max_failed_indexes_fails_the_job_and_deletes_the_rest(self):
        self.apply(indexed_job("most", 4, exit_indexes="0,1", fail_indexes="0,1",
                               backoffLimitPerIndex=1, maxFailedIndexes=1))
        self.wait_condition("job", "most", "failed", timeout="90s")
        job = self.job("most")
        status = job["status"]
        failed = self.condition(job, "Failed")
        self.assertEqual((failed["reason"], failed["message"]),
                         ("MaxFailedIndexesExceeded",
                          "Job has exceeded the specified maximal number of failed indexes"))
        self.assertEqual(status["failedIndexes"], "0,1")
        self.assertNotIn("completedIndexes", status)
        self.assertNotIn("active", status)
        # Indexes 0 and 1 ran twice each; the pods of 2 and 3, still running, were deleted.
        self.wait_until(lambda: sorted(self.pods_by_index("most")) == [0, 1],
                        "the running pods to be deleted")
        by_index = self.pods_by_index("most")
        for index in (0, 1):
            self.assertEqual(sorted(p["metadata"]["annotations"][FAILURE_COUNT]
                                    for p in by_index[index]), ["0", "1"])
        # Four failed pods and the two deleted before they finished.
        self.assertEqual(status["failed"], 6)

    def test_fail_index_rule_fails_the_index_at_the_first_failure(self):
        policy = {"rules": [{"action": "FailIndex",
                             "onExitCodes": {"operator": "In", "values": [42]}}]}
        self.apply(indexed_job("fatal-index", 2, fail_indexes="0", exit_code=42,
                               backoffLimitPerIndex=3, podFailurePolicy=policy))
        self.wait_condition("job", "fatal-index", "failed")
        job = self.job("fatal-index")
        self.assertEqual(job["status"]["failedIndexes"], "0")
        self.assertEqual(job["status"]["completedIndexes"], "1")
        self.assertEqual(self.condition(job, "Failed")["reason"], "FailedIndexes")
        by_index = self.pods_by_index("fatal-index")
        self.assertEqual(len(by_index[0]), 1)  # three retries allowed, none made
        term = by_index[0][0]["status"]["containerStatuses"][0]["state"]["terminated"]
        self.assertEqual(term["exitCode"], 42)

    def test_success_policy_completes_the_job_early(self):
        self.apply(indexed_job("pick", 4, exit_indexes="0,1",
                               successPolicy={"rules": [{"succeededIndexes": "0-1"}]}))
        self.wait_condition("job", "pick", "complete")
        job = self.job("pick")
        status = job["status"]
        self.assertEqual(condition_types(job), ["SuccessCriteriaMet", "Complete"])
        for kind in ("SuccessCriteriaMet", "Complete"):
            c = self.condition(job, kind)
            self.assertEqual((c["reason"], c["message"]),
                             ("SuccessPolicy", "Matched rules at index 0"))
        self.assertEqual(status["completedIndexes"], "0,1")
        self.assertEqual(status["succeeded"], 2)
        self.assertNotIn("active", status)
        self.assertEqual(status["terminating"], 0)
        self.assertIn("completionTime", status)
        self.assertNotIn("failedIndexes", status)
        # Indexes 2 and 3 ran until the policy was met; their pods were deleted.
        self.wait_until(lambda: sorted(self.pods_by_index("pick")) == [0, 1],
                        "the other pods to be deleted")
        self.wait_event("pick", "Completed", "Job completed")
        out = self.ok("get", "job", "pick")
        self.assertRegex(out, r"pick\s+Complete\s+2/4")

    def test_bad_per_index_and_success_policy_fields_are_invalid(self):
        # successPolicy needs an Indexed Job.
        bad = job_manifest("plain", successPolicy={"rules": [{"succeededCount": 1}]})
        r = self.run_kubectl("apply", "-f", "-", stdin=json.dumps(bad))
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("spec.successPolicy: Invalid value", r.stderr)
        self.assertIn("requires indexed completion mode", r.stderr)
        code, body = self.call("POST", JOBS, bad)
        self.assertEqual(code, 422, body)
        self.assertEqual((body["kind"], body["reason"]), ("Status", "Invalid"))
        self.assertEqual(body["details"]["kind"], "Job")
        self.assertEqual(body["details"]["name"], "plain")
        self.assertEqual([(c["reason"], c["field"]) for c in body["details"]["causes"]],
                         [("FieldValueInvalid", "spec.successPolicy")])
        self.assertEqual(self.call("GET", JOBS + "/plain")[0], 404)

        bad = job_manifest("plain", backoffLimitPerIndex=1, maxFailedIndexes=1)
        code, body = self.call("POST", JOBS, bad)
        self.assertEqual(code, 422, body)
        causes = [(c["field"], c["message"]) for c in body["details"]["causes"]]
        self.assertIn(("spec.backoffLimitPerIndex",
                       "Invalid value: 1: requires indexed completion mode"), causes)
        self.assertIn(("spec.maxFailedIndexes",
                       "Invalid value: 1: requires indexed completion mode"), causes)

        bad = indexed_job("rules", 3, backoffLimitPerIndex=1, maxFailedIndexes=4,
                          successPolicy={"rules": [{"succeededIndexes": "2,0"},
                                                   {"succeededCount": 4}, {}]})
        code, body = self.call("POST", JOBS, bad)
        self.assertEqual(code, 422, body)
        causes = [(c["reason"], c["field"], c["message"]) for c in body["details"]["causes"]]
        self.assertEqual(causes, [
            ("FieldValueInvalid", "spec.maxFailedIndexes",
             "Invalid value: 4: must be less than or equal to completions"),
            ("FieldValueInvalid", "spec.successPolicy.rules[0].succeededIndexes",
             'Invalid value: "2,0": error parsing succeededIndexes: non-increasing order, '
             'previous: 2, current: 0'),
            ("FieldValueInvalid", "spec.successPolicy.rules[1].succeededCount",
             "Invalid value: 4: must be less than or equal to 3 (the number of specified "
             "completions)"),
            ("FieldValueRequired", "spec.successPolicy.rules[2]",
             "Required value: at least one of succeededCount or succeededIndexes must be "
             "specified")])

        # successPolicy cannot change once set.
        self.apply(indexed_job("fixed", 2, exit_indexes="",
                               successPolicy={"rules": [{"succeededCount": 1}]}))
        r = self.run_kubectl("patch", "job", "fixed", "--type=merge", "-p",
                             json.dumps({"spec": {"successPolicy": {
                                 "rules": [{"succeededCount": 2}]}}}))
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("spec.successPolicy: Invalid value", r.stderr)
        self.assertIn("field is immutable", r.stderr)


class CronJobTest(JobsTestCase):
    def test_cronjob_creates_jobs(self):
        self.apply(cronjob_manifest("tick"))
        cj = self.get(CRONJOBS + "/tick")
        # A Job made by hand from the CronJob's template runs as any Job.
        self.ok("create", "job", "--from=cronjob/tick", "tick-manual")
        self.wait_condition("job", "tick-manual", "complete")
        manual = self.job("tick-manual")
        self.assertEqual(manual["metadata"]["labels"]["from"], "tick")
        # The schedule's last run lies in the past: the most recent start time is due now.
        past = (datetime.datetime.now(datetime.timezone.utc) -
                datetime.timedelta(minutes=3)).strftime("%Y-%m-%dT%H:%M:%SZ")
        self.ok("patch", "cronjob", "tick", "--subresource=status", "--type=merge", "-p",
                json.dumps({"status": {"lastScheduleTime": past}}))
        job = self.wait_until(lambda: [j for j in self.get(JOBS)["items"]
                                       if j["metadata"]["name"] not in ("tick-manual",)],
                              "the scheduled job")[0]
        name = job["metadata"]["name"]
        minutes = int(name[len("tick-"):])
        scheduled = datetime.datetime.fromtimestamp(minutes * 60, datetime.timezone.utc)
        self.assertLessEqual(scheduled, datetime.datetime.now(datetime.timezone.utc))
        self.assertEqual(job["metadata"]["annotations"][
            "batch.kubernetes.io/cronjob-scheduled-timestamp"],
            scheduled.strftime("%Y-%m-%dT%H:%M:%SZ"))
        self.assertEqual(job["metadata"]["labels"]["from"], "tick")
        self.assert_controller_ref(job, "CronJob", cj)
        self.wait_event("tick", "SuccessfulCreate", "Created job " + name)
        # The controller writes the status after the Job and its event, as upstream does.
        want = scheduled.strftime("%Y-%m-%dT%H:%M:%SZ")
        self.wait_until(lambda: self.get(CRONJOBS + "/tick")["status"].get("lastScheduleTime")
                        == want, "lastScheduleTime " + want)
        self.wait_condition("job", name, "complete")
        self.wait_event("tick", "SawCompletedJob",
                        "Saw completed job: %s, condition: Complete" % name)
        cj = self.wait_until(lambda: "lastSuccessfulTime" in self.get(CRONJOBS + "/tick").get(
            "status", {}) and self.get(CRONJOBS + "/tick"), "lastSuccessfulTime")
        self.assertNotIn("active", cj["status"])
        out = self.ok("get", "cronjob", "tick")
        self.assertRegex(out, r"\ntick\s+\* \* \* \* \*\s+<none>\s+False\s+0\s+\d+s")

    def test_forbid_skips_while_a_job_runs(self):
        manifest = cronjob_manifest("solo", concurrencyPolicy="Forbid")
        manifest["spec"]["jobTemplate"]["spec"]["template"] = pod_template(None)
        self.apply(manifest)
        past = (datetime.datetime.now(datetime.timezone.utc) -
                datetime.timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
        self.ok("patch", "cronjob", "solo", "--subresource=status", "--type=merge", "-p",
                json.dumps({"status": {"lastScheduleTime": past}}))
        cj = self.wait_until(lambda: self.get(CRONJOBS + "/solo")["status"].get("active") and
                             self.get(CRONJOBS + "/solo"), "an active job")
        first = cj["status"]["active"][0]["name"]
        # Pretend the run before was long ago: another start time is due, and Forbid skips it.
        self.ok("patch", "cronjob", "solo", "--subresource=status", "--type=merge", "-p",
                json.dumps({"status": {"lastScheduleTime": past}}))
        self.wait_event("solo", "JobAlreadyActive",
                        "Not starting job because prior execution is running and concurrency "
                        "policy is Forbid")
        self.assertEqual([j["metadata"]["name"] for j in self.get(JOBS)["items"]], [first])

    def test_finished_jobs_beyond_the_history_limit_are_deleted(self):
        self.apply(cronjob_manifest("kept", suspend=True, successfulJobsHistoryLimit=1))
        self.ok("create", "job", "--from=cronjob/kept", "kept-first")
        self.wait_condition("job", "kept-first", "complete")
        self.ok("create", "job", "--from=cronjob/kept", "kept-second")
        self.wait_condition("job", "kept-second", "complete")
        self.wait_until(lambda: self.call("GET", JOBS + "/kept-first")[0] == 404,
                        "the older job to be deleted")
        self.wait_event("kept", "SuccessfulDelete", "Deleted job kept-first")
        self.assertEqual(self.call("GET", JOBS + "/kept-second")[0], 200)
        # Suspended: nothing was scheduled.
        self.assertNotIn("lastScheduleTime", self.get(CRONJOBS + "/kept").get("status", {}))

    def test_bad_schedules_and_time_zones_are_invalid(self):
        cases = [
            ("bogus", None, "spec.schedule", "expected exactly 5 fields, found 1: bogus"),
            ("61 * * * *", None, "spec.schedule", "end of range (61) above maximum (59): 61"),
            ("@fortnightly", None, "spec.schedule", "unrecognized descriptor: @fortnightly"),
            ("TZ=UTC * * * * *", None, "spec.schedule",
             "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"),
            ("* * * * *", "Mars/Olympus", "spec.timeZone", "unknown time zone Mars/Olympus"),
        ]
        for schedule, zone, field, message in cases:
            manifest = cronjob_manifest("bad", schedule)
            if zone:
                manifest["spec"]["timeZone"] = zone
            code, body = self.call("POST", CRONJOBS, manifest)
            self.assertEqual(code, 422, body)
            self.assertEqual(body["reason"], "Invalid")
            causes = [(c["field"], c["message"]) for c in body["details"]["causes"]]
            self.assertIn(field, [f for f, _ in causes])
            self.assertTrue(any(message in m for _, m in causes), causes)
        r = self.run_kubectl("apply", "-f", "-", stdin=json.dumps(cronjob_manifest("bad", "x y")))
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("spec.schedule", r.stderr)
        manifest = cronjob_manifest("zoned", "0 9 * * MON-FRI")
        manifest["spec"]["timeZone"] = "Europe/Berlin"
        self.assertEqual(self.call("POST", CRONJOBS, manifest)[0], 201)


class ControllersFlagTest(JobsTestCase):
    server_args = ("--controllers", "*,-job")

    def test_jobs_wait_without_the_job_controller(self):
        self.apply(job_manifest("idle"))
        time.sleep(2)
        self.assertEqual(self.job_pods("idle"), [])
        self.assertNotIn("status", self.job("idle"))


if __name__ == "__main__":
    unittest.main()
