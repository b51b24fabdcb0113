// A console reporter that also prints, at the end of the run, each
// benchmark's throughput (bytes or items per second) as a ratio of its
// baseline's: "X_Y/input" is compared with "baseline_X_Y/input", else
// "baseline_X/input", else "baseline_decode/input". With repetitions, the
// medians are compared.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_BENCH_RATIO_REPORTER_HPP
#define RTNOTIFY_BENCH_RATIO_REPORTER_HPP

#include <benchmark/benchmark.h>

#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <string_view>

namespace rtnotify_bench {

class ratio_reporter : public benchmark::ConsoleReporter
{
public:
    void ReportRuns(std::vector<Run> const& runs) override
    {
        ConsoleReporter::ReportRuns(runs);
        for(auto const& r : runs)
        {
            // with --benchmark_repetitions, the median of the repetitions stands for the benchmark
            bool const median = r.run_type == Run::RT_Aggregate && r.aggregate_name == "median";
            auto const name = r.run_name.str();
            if(r.error_occurred || !(median || (r.run_type == Run::RT_Iteration && !medians_.contains(name))))
                continue;
            for(auto const* unit : {"bytes_per_second", "items_per_second"})
                if(auto it = r.counters.find(unit); it != r.counters.end())
                {
                    rates_[name] = it->second.value;
                    units_[name] = unit[0] == 'b' ? "MB/s" : "M/s ";
                    if(median)
                        medians_.insert(name);
                    break;
                }
        }
    }

    void Finalize() override
    {
        ConsoleReporter::Finalize();
        std::printf("\nthroughput ratios against the baseline of the same run:\n");
        for(auto const& [name, rate] : rates_)
        {
            if(name.rfind("baseline_", 0) == 0)
                continue;
            auto const slash = name.find('/');
            if(slash == std::string::npos)
                continue;
            // "a_b_c/n" is compared with baseline_a_b_c/n, baseline_a_b/n, baseline_a/n, then baseline_decode/n
            auto stem = name.substr(0, slash);
            auto base = rates_.end();
            while(base == rates_.end() && !stem.empty())
            {
                base = rates_.find("baseline_" + stem + name.substr(slash));
                auto const us = stem.rfind('_');
                stem = us == std::string::npos ? std::string() : stem.substr(0, us);
            }
            if(base == rates_.end())
                base = rates_.find("baseline_decode" + name.substr(slash));
            if(base == rates_.end())
                continue;
            auto const unit = units_[name].c_str();
            std::printf("  %-40s %8.2f %s  %8.2f %s baseline  ratio %.2fx\n", name.c_str(), rate / 1e6, unit,
                        base->second / 1e6, unit, rate / base->second);
        }
    }

private:
    std::map<std::string, double> rates_;
    std::map<std::string, std::string> units_;
    std::set<std::string> medians_; ///< benchmarks whose rate is the median of their repetitions
};

/// Runs the registered benchmarks with the command line, reporting through
/// `ratio_reporter` on the console; `--benchmark_format=json` or `csv` gets
/// Google Benchmark's own reporter, so the output is that format alone.
inline int run(int argc, char** argv)
{
    bool console = true;
    for(int i = 1; i < argc; ++i)
        if(std::string_view a = argv[i]; a.starts_with("--benchmark_format=") && a != "--benchmark_format=console")
            console = false;
    benchmark::Initialize(&argc, argv);
    if(benchmark::ReportUnrecognizedArguments(argc, argv))
        return 1;
    if(console)
    {
        ratio_reporter reporter;
        benchmark::RunSpecifiedBenchmarks(&reporter);
    }
    else
        benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}

} // namespace rtnotify_bench

#endif
