import Testing
@Test func oracletestsPlaceholder() {}
