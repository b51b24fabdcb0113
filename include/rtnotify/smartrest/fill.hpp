// Fills a request template with the fields of a request line: the REST call it makes.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_SMARTREST_FILL_HPP
#define RTNOTIFY_SMARTREST_FILL_HPP

#include <rtnotify/smartrest/document.hpp>
#include <rtnotify/smartrest/template.hpp>

#include <boost/spirit/home/x3.hpp>
#include <boost/system/result.hpp>

#include <string>
#include <string_view>

namespace rtnotify::smartrest {

/// The REST call a request line and its template make.
struct filled_request
{
    std::string method;
    std::string uri;
    std::string content_type;
    std::string accept;
    std::string body;
    bool operator==(filled_request const&) const = default;
};

namespace detail::fill {

namespace x3 = boost::spirit::x3;

template<class Parser>
bool whole(std::string_view s, Parser const& p)
{
    auto first = s.begin();
    return x3::parse(first, s.end(), p) && first == s.end();
}

inline auto const d2 = x3::repeat(2)[x3::digit];
inline auto const iso_date = x3::repeat(4)[x3::digit] >> '-' >> d2 >> '-' >> d2 >>
                             -(x3::lit('T') >> d2 >> ':' >> d2 >> -(':' >> d2 >> -('.' >> +x3::digit)) >>
                               -(x3::lit('Z') | (x3::char_("+-") >> d2 >> -x3::lit(':') >> d2)));

inline bool valid(param_type t, std::string_view v)
{
    switch(t)
    {
    case param_type::string_: return !v.empty();
    case param_type::unsigned_: return whole(v, +x3::digit);
    case param_type::integer: return whole(v, -x3::char_("+-") >> +x3::digit);
    case param_type::number: return whole(v, x3::double_) && v.find_first_of("nNiI") == std::string_view::npos;
    case param_type::date: return whole(v, iso_date);
    case param_type::now: return true;
    }
    return false;
}

// Percent-encodes every byte but RFC 3986's unreserved ones, for a value put into a URI.
inline void append_uri(std::string& out, std::string_view v)
{
    static constexpr char hex[] = "0123456789ABCDEF";
    for(unsigned char c : v)
    {
        if((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
           c == '_' || c == '~')
            out.push_back(static_cast<char>(c));
        else
        {
            out.push_back('%');
            out.push_back(hex[c >> 4]);
            out.push_back(hex[c & 15]);
        }
    }
}

// Escapes a value for the inside of a JSON string in the template body.
inline void append_json(std::string& out, std::string_view v)
{
    static constexpr char hex[] = "0123456789abcdef";
    for(unsigned char c : v)
    {
        if(c == '"' || c == '\\')
        {
            out.push_back('\\');
            out.push_back(static_cast<char>(c));
        }
        else if(c < 0x20)
        {
            out.append("\\u00");
            out.push_back(hex[c >> 4]);
            out.push_back(hex[c & 15]);
        }
        else
            out.push_back(static_cast<char>(c));
    }
}

} // namespace detail::fill

/** Fills a request template from a request line `msgId,values...`.

    Values replace the placeholder's occurrences in order, in the URI first
    and then in the body; a `NOW` parameter takes `now` and no value from the
    line. A value is percent-encoded in the URI and JSON-escaped in the body.

    @return the REST call, or the `45` text: "No arguments supported",
    "Wrong number of arguments", or "Value is not a TYPE: VALUE" (field set).
*/
inline boost::system::result<filled_request, template_error> fill_request(request_template const& t, record const& line,
                                                                          std::string_view now)
{
    std::size_t wanted = 0;
    for(auto p : t.params)
        wanted += p != param_type::now;
    auto const given = line.size() - 1;
    if(given != 0 && t.params.empty())
        return template_error{error::bad_argument, "No arguments supported", 2};
    if(given != wanted)
        return template_error{error::bad_argument, "Wrong number of arguments", 1};

    std::vector<std::string_view> values;
    std::size_t next = 1;
    for(auto p : t.params)
    {
        auto const v = p == param_type::now ? now : line[next];
        if(!detail::fill::valid(p, v))
            return template_error{error::bad_argument,
                                  "Value is not a " + std::string(to_string(p)) + ": " + std::string(v), next + 1};
        values.push_back(v);
        next += p != param_type::now;
    }

    filled_request out{t.method, {}, t.content_type, t.accept, {}};
    std::size_t k = 0;
    auto substitute = [&](std::string& dst, std::string_view src, auto append) {
        if(t.placeholder.empty())
            return void(dst = src);
        for(;;)
        {
            auto const p = src.find(t.placeholder);
            if(p == std::string_view::npos)
                break;
            dst.append(src.substr(0, p));
            append(dst, values[k++]);
            src.remove_prefix(p + t.placeholder.size());
        }
        dst.append(src);
    };
    substitute(out.uri, t.uri, detail::fill::append_uri);
    substitute(out.body, t.body, detail::fill::append_json);
    return out;
}

} // namespace rtnotify::smartrest

#endif
