import CountersignCore
import Testing

@Suite("Progress to the next milestone")
struct MilestoneProgressTests {
    @Test("the next milestone is the smallest above the count; reaching one exactly moves on to the next")
    func next() {
        let milestones = [1000, 10, 100]
        let cases: [(count: Int, target: Int?)] = [(0, 10), (9, 10), (10, 100), (11, 100), (999, 1000), (1000, nil), (5000, nil)]
        for (count, target) in cases {
            let progress = MilestoneProgress(count: count, milestones: milestones)
            #expect(progress?.target == target, "count \(count)")
            if target != nil { #expect(progress?.count == count) }
        }
    }

    @Test("a petition without milestones shows no progress")
    func none() {
        #expect(MilestoneProgress(count: 0, milestones: []) == nil)
        #expect(MilestoneProgress(count: 12_345, milestones: []) == nil)
    }
}
