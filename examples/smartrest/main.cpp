// rtnotify-smartrest: decode, encode and render SmartREST 1.0 bodies.
// SPDX-License-Identifier: BSL-1.0
//
//   rtnotify-smartrest decode [--lenient]      body on stdin -> JSON array of records
//   rtnotify-smartrest encode                  JSON array of arrays of strings -> lines
//   rtnotify-smartrest render (--templates FILE --xid XID)...
//                                              notification JSON on stdin -> rows
//
// Exit status: 0 on success, 1 when the input is refused, 2 on a usage error.

#include <rtnotify/smartrest.hpp>

#include "../input_file.hpp"

#include <boost/json.hpp>
#include <boost/locale/utf.hpp>

#include <fstream>
#include <optional>
#include <string_view>
#include <iostream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

namespace sr = rtnotify::smartrest;
namespace json = boost::json;

namespace {

constexpr char const* usage =
    "usage: rtnotify-smartrest decode [--lenient]\n"
    "       rtnotify-smartrest encode\n"
    "       rtnotify-smartrest render --templates FILE --xid XID [--templates FILE --xid XID]...\n"
    "\n"
    "decode  reads a SmartREST body on stdin and prints its records as a JSON array of\n"
    "        arrays of strings; on a malformed body it prints\n"
    "        {\"error\":{\"message\":...,\"offset\":...,\"line\":...,\"field\":...}} and exits 1.\n"
    "        --lenient keeps a bare quote in an unquoted field and text after a closing quote.\n"
    "encode  reads a JSON array of arrays of strings on stdin and prints one line per record.\n"
    "render  registers the 10/11 lines of each FILE under its XID, reads a notification\n"
    "        JSON on stdin, and prints the data rows; with several X-Ids each group of rows\n"
    "        is preceded by an 87 line.\n";

std::string read_all(std::istream& in)
{
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// The offset of the first byte of `s` that does not start a valid UTF-8 character, if any.
std::optional<std::size_t> first_invalid_utf8(std::string_view s)
{
    namespace utf = boost::locale::utf;
    for(auto it = s.begin(); it != s.end();)
    {
        auto const at = it;
        auto const c = utf::utf_traits<char>::decode(it, s.end());
        if(c == utf::illegal || c == utf::incomplete)
            return static_cast<std::size_t>(at - s.begin());
    }
    return std::nullopt;
}

int fail(std::string const& message)
{
    std::cout << json::serialize(json::object{{"error", json::object{{"message", message}}}}) << "\n";
    return 1;
}

int decode(bool lenient)
{
    auto const body = read_all(std::cin);
    sr::decode_options opts;
    opts.lenient = lenient;
    auto doc = sr::decode(body, opts);
    if(!doc)
    {
        auto const& d = doc.error();
        json::object err{{"message", d.code.message()}, {"offset", d.offset}, {"line", d.line}, {"field", d.field}};
        std::cout << json::serialize(json::object{{"error", std::move(err)}}) << "\n";
        return 1;
    }
    json::array out;
    for(auto rec : *doc)
    {
        json::array fields;
        for(auto f : rec.fields)
        {
            // JSON text is UTF-8: a field that is not cannot be written as it is, nor silently changed
            if(auto const bad = first_invalid_utf8(f))
            {
                json::object err{{"message", "field is not UTF-8 (JSON output needs UTF-8)"},
                                 {"offset", rec.offset},
                                 {"line", rec.line},
                                 {"field", fields.size()},
                                 {"field_byte", *bad}};
                std::cout << json::serialize(json::object{{"error", std::move(err)}}) << "\n";
                return 1;
            }
            fields.emplace_back(json::string_view(f.data(), f.size()));
        }
        out.emplace_back(std::move(fields));
    }
    std::cout << json::serialize(out) << "\n";
    return 0;
}

int encode()
{
    json::error_code ec;
    auto const v = json::parse(read_all(std::cin), ec);
    if(ec)
        return fail("input is not JSON: " + ec.message());
    auto const* records = v.if_array();
    if(!records)
        return fail("input is not a JSON array of records");
    std::string out;
    std::vector<std::string_view> fields;
    for(std::size_t i = 0; i < records->size(); ++i)
    {
        auto const* rec = (*records)[i].if_array();
        if(!rec)
            return fail("record " + std::to_string(i) + " is not an array");
        fields.clear();
        for(auto const& f : *rec)
        {
            auto const* s = f.if_string();
            if(!s)
                return fail("record " + std::to_string(i) + " has a field that is not a string");
            fields.emplace_back(s->data(), s->size());
        }
        sr::encode_record(out, fields);
    }
    std::cout << out;
    return 0;
}

int render(std::vector<std::pair<std::string, std::string>> const& sets)
{
    sr::registry reg;
    std::vector<sr::collection const*> collections;
    for(auto const& [file, xid] : sets)
    {
        if(auto const why = rtnotify_examples::why_unreadable(file); !why.empty())
            return fail(why);
        std::ifstream in(file, std::ios::binary);
        auto const body = read_all(in);
        auto doc = sr::decode(body);
        if(!doc)
            return fail(file + ": " + doc.error().to_string());
        auto replies = reg.handle(xid, *doc);
        if(replies.empty() || replies.front().code != 20)
        {
            std::string lines;
            for(auto const& r : replies)
                sr::encode(lines, sr::reply(r));
            return fail(file + ": templates refused: " + (lines.empty() ? "no 10 or 11 lines\n" : lines));
        }
        collections.push_back(reg.find(xid));
    }
    json::error_code ec;
    auto const notification = json::parse(read_all(std::cin), ec);
    if(ec)
        return fail("notification is not JSON: " + ec.message());
    std::string out;
    sr::render_notification(out, collections, notification);
    std::cout << out;
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    std::vector<std::string> args(argv + 1, argv + argc);
    if(args.empty() || args[0] == "--help" || args[0] == "-h")
    {
        (args.empty() ? std::cerr : std::cout) << usage;
        return args.empty() ? 2 : 0;
    }
    auto const cmd = args[0];
    if(cmd == "decode" && (args.size() == 1 || (args.size() == 2 && args[1] == "--lenient")))
        return decode(args.size() == 2);
    if(cmd == "encode" && args.size() == 1)
        return encode();
    if(cmd == "render" && args.size() > 1 && (args.size() - 1) % 4 == 0)
    {
        std::vector<std::pair<std::string, std::string>> sets;
        for(std::size_t i = 1; i < args.size(); i += 4)
        {
            if(args[i] != "--templates" || args[i + 2] != "--xid")
                break;
            sets.emplace_back(args[i + 1], args[i + 3]);
        }
        if(sets.size() == (args.size() - 1) / 4)
            return render(sets);
    }
    std::cerr << usage;
    return 2;
}
