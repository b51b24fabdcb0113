// Fuzz target for the conformance runner's fixture loader: fixtures are
// third-party input too (an operator may run a corpus someone else wrote).
// SPDX-License-Identifier: BSL-1.0
//
// The input is a fixture file's text. Properties checked:
// - loading never crashes; text that is not JSON or not a fixture is
//   refused with a message that names where;
// - a loaded fixture has at least one step.
#include "fixture.hpp"

#include "fuzz_support.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/parse_options.hpp>

#include <cstdint>
#include <string_view>

using rtnotify_fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    std::string_view const text(reinterpret_cast<char const*>(data), size);
    boost::json::parse_options opts;
    opts.max_depth = 64;
    boost::system::error_code ec;
    auto const v = boost::json::parse(text, ec, {}, opts);
    if(ec)
        return 0;
    auto const f = rtnotify_conformance::parse_fixture("fuzz/case", v);
    if(!f)
    {
        check(!f.error().what.empty());
        return 0;
    }
    check(!f->steps.empty());
    return 0;
}
