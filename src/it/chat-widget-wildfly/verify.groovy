// Run by Parley's build (maven-invoker-plugin) after this sample's own build passed: the sample
// must have run at least one integration test, and none failed (a build that runs no test proves nothing).
def summary = new File(basedir, 'target/failsafe-reports/failsafe-summary.xml')
assert summary.isFile() : "${basedir.name} ran no integration test: no ${summary}"
def count = { String tag -> (summary.text =~ "<${tag}>(\\d+)</${tag}>")[0][1] as int }
assert count('completed') > 0 : "${basedir.name} ran no integration test"
assert count('errors') == 0 && count('failures') == 0 : "${basedir.name}: a test failed"
println "${basedir.name}: ${count('completed')} integration test(s) passed"
