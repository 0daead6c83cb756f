// Activity and meter listeners see the whole process: the tests of this assembly run one at a time so that each
// sees only its own spans and measurements.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
