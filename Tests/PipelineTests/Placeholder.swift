import Testing
@Test func pipelinetestsPlaceholder() {}
