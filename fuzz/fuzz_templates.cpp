// Fuzz target for SmartREST template registration, JSONPath and response rendering.
// SPDX-License-Identifier: BSL-1.0
//
// The input is a registration body (10/11 lines) under X-Id "x", then a NUL
// byte, then a notification JSON. Properties checked:
// - registration never crashes; it answers one `20` (registered, with an id
//   that finds the collection again) or `41` lines, never both;
// - a second registration under the same X-Id is refused with one `41`;
// - every field of the body parses as a JSONPath or is refused, and a parsed
//   path resolves against the notification without crashing;
// - the rows rendered from the notification decode as SmartREST, one record
//   per row, and a rendering through two X-Ids adds one `87` group line per
//   non-empty group;
// - through the bridge, the body posted without an X-Id header after a first
//   line `15,x` is answered as the body under `X-Id: x`, each error line's
//   number one higher (the 15 line counts; it goes after a leading BOM).
#include <rtnotify/session/smartrest_bridge.hpp>
#include <rtnotify/smartrest/decode.hpp>
#include <rtnotify/smartrest/json_path.hpp>
#include <rtnotify/smartrest/registry.hpp>
#include <rtnotify/smartrest/render.hpp>

#include "fuzz_support.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/parse_options.hpp>

#include <array>
#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

namespace sr = rtnotify::smartrest;

using rtnotify_fuzz::check;

namespace {

/// The bridge's answer to `body` posted with `xid` (empty: no X-Id header), on a server of its own.
std::string template_answer(std::string_view xid, std::string_view body)
{
    rtnotify::session::server srv;
    sr::registry reg;
    rtnotify::session::smartrest_bridge bridge{srv, reg};
    return bridge.register_templates(xid, body, "fuzz");
}

/// The 15 line names the X-Id as the header would; the lines after it keep their numbers.
/// A leading UTF-8 BOM stays first: only there is it skipped rather than read as field bytes.
void check_x_id_line(std::string_view body)
{
    std::string_view const bom = "\xEF\xBB\xBF";
    auto const lead = body.starts_with(bom) ? bom.size() : 0;
    auto const by_header = template_answer("x", body);
    auto const by_line = template_answer("", std::string(body.substr(0, lead)) + "15,x\n" + std::string(body.substr(lead)));
    auto const a = sr::decode(by_header);
    auto const b = sr::decode(by_line);
    check(a.has_value() && b.has_value() && a->size() == b->size());
    for(std::size_t i = 0; i < a->size(); ++i)
    {
        auto const ra = (*a)[i];
        auto const rb = (*b)[i];
        check(ra.size() == rb.size());
        for(std::size_t f = 0; f < ra.size(); ++f)
        {
            std::uint64_t la = 0, lb = 0;
            bool const numbered = f == 1 && ra[0].starts_with('4') &&
                                  std::from_chars(ra[f].data(), ra[f].data() + ra[f].size(), la).ec == std::errc() &&
                                  std::from_chars(rb[f].data(), rb[f].data() + rb[f].size(), lb).ec == std::errc();
            check(numbered ? lb == la + 1 : ra[f] == rb[f]);
        }
    }
}

std::size_t records(std::string const& body)
{
    if(body.empty())
        return 0;
    auto const doc = sr::decode(body);
    check(doc.has_value());
    return doc->size();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    std::string_view const all(reinterpret_cast<char const*>(data), size);
    auto const nul = all.find('\0');
    auto const body = all.substr(0, nul);
    auto const json = nul == std::string_view::npos ? std::string_view() : all.substr(nul + 1);

    auto const doc = sr::decode(body);
    if(!doc)
        return 0;
    check_x_id_line(body);
    sr::registry reg;
    auto const statuses = reg.handle("x", *doc);
    auto const* c = reg.find("x");
    if(!sr::is_registration(*doc))
    {
        check(c == nullptr);
        return 0;
    }
    check(!statuses.empty());
    if(c)
    {
        check(statuses.size() == 1 && statuses[0].code == 20);
        check(reg.find(std::to_string(c->id)) == c);
        auto const again = reg.handle("x", *doc);
        check(again.size() == 1 && again[0].code == 41);
    }
    else
        for(auto const& s : statuses)
            check(s.code == 41);

    boost::json::parse_options popts;
    popts.max_depth = 32;
    boost::system::error_code ec;
    auto const notification = boost::json::parse(json, ec, {}, popts);
    for(auto const r : *doc)
        for(std::size_t i = 0; i < r.size(); ++i)
            if(auto const p = sr::parse_json_path(r[i]); p && !ec)
                (void)p->resolve(notification);
    if(!c || ec)
        return 0;

    std::string one;
    std::array<sr::collection const*, 1> only{c};
    sr::render_notification(one, only, notification);
    auto const rows = records(one);

    check(reg.handle("y", *doc).size() == 1);
    auto const* twin = reg.find("y");
    check(twin != nullptr);
    std::string two;
    std::array<sr::collection const*, 2> both{c, twin};
    sr::render_notification(two, both, notification);
    check(records(two) == 2 * rows + (rows ? 2 : 0));
    return 0;
}
