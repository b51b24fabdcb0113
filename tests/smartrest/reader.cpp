// Tests of rtnotify/smartrest/reader.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/smartrest/reader.hpp>

#include "records.hpp"
#include "vectors.hpp"

#include <gtest/gtest.h>

namespace {

namespace sr = rtnotify::smartrest;
using rtnotify_test::rows;
using rtnotify_test::to_rows;

// The outcome of decoding: rows with offsets and lines, or the diagnostic.
struct outcome
{
    rows values;
    std::vector<std::pair<std::size_t, std::size_t>> positions; // offset, line
    sr::diagnostic diag;

    bool operator==(outcome const&) const = default;

    friend void PrintTo(outcome const& o, std::ostream* os)
    {
        *os << ::testing::PrintToString(o.values) << " at " << ::testing::PrintToString(o.positions);
        if(o.diag.code)
            *os << " error: " << o.diag.to_string();
    }
};

outcome of(sr::document const& doc)
{
    outcome o{to_rows(doc), {}, {}};
    for(auto rec : doc)
        o.positions.emplace_back(rec.offset, rec.line);
    return o;
}

outcome one_shot(std::string_view body, sr::decode_options const& opts)
{
    auto r = sr::decode(body, opts);
    if(!r)
        return {{}, {}, r.error()};
    return of(*r);
}

// Feeds `body` split at the given points.
outcome chunked(std::string_view body, std::vector<std::size_t> const& cuts, sr::decode_options const& opts)
{
    sr::reader rd(opts);
    std::size_t pos = 0;
    auto feed_to = [&](std::size_t end) {
        auto ec = rd.feed(body.substr(pos, end - pos));
        pos = end;
        return !ec || ec == sr::error::need_more;
    };
    for(auto cut : cuts)
        if(!feed_to(cut))
            return {{}, {}, rd.diag()};
    if(!feed_to(body.size()) || rd.finish())
        return {{}, {}, rd.diag()};
    return of(rd.records());
}

std::vector<std::string_view> all_inputs()
{
    std::vector<std::string_view> v;
    for(auto const& c : rtnotify_test::reference_vectors())
        v.push_back(c.input);
    for(auto in : rtnotify_test::invalid_inputs())
        v.push_back(in);
    return v;
}

TEST(Reader, EverySplitPointAgreesWithOneShot)
{
    for(bool lenient : {false, true})
    {
        sr::decode_options opts;
        opts.lenient = lenient;
        for(auto in : all_inputs())
        {
            auto const expected = one_shot(in, opts);
            for(std::size_t cut = 0; cut <= in.size(); ++cut)
                ASSERT_EQ(chunked(in, {cut}, opts), expected) << "input " << ::testing::PrintToString(in) << " cut "
                                                              << cut << " lenient " << lenient;
        }
    }
}

TEST(Reader, EveryTwoSplitPointsAgreeWithOneShot)
{
    for(auto in : all_inputs())
    {
        auto const expected = one_shot(in, {});
        for(std::size_t a = 0; a <= in.size(); ++a)
            for(std::size_t b = a; b <= in.size(); ++b)
                ASSERT_EQ(chunked(in, {a, b}, {}), expected) << ::testing::PrintToString(in) << " " << a << "," << b;
    }
}

TEST(Reader, ByteAtATimeOnBenchmarkLikeBody)
{
    std::string body;
    for(int i = 0; i < 200; ++i)
        body += std::to_string(100 + i % 7) + ",1,\"q \"\"" + std::to_string(i) + "\"\"\nx\",  plain ,\r\n\n";
    std::vector<std::size_t> cuts;
    for(std::size_t i = 1; i < body.size(); ++i)
        cuts.push_back(i);
    auto const expected = one_shot(body, {});
    ASSERT_FALSE(expected.diag.code);
    EXPECT_EQ(expected.values.size(), 200u);
    EXPECT_EQ(chunked(body, cuts, {}), expected);
}

TEST(Reader, EveryPrefixDecodesLikeOneShot)
{
    for(auto in : all_inputs())
        for(std::size_t n = 0; n <= in.size(); ++n)
            ASSERT_EQ(chunked(in.substr(0, n), {}, {}), one_shot(in.substr(0, n), {})) << ::testing::PrintToString(in);
}

TEST(Reader, SaysNeedMoreWhileARecordIsOpen)
{
    sr::reader rd;
    EXPECT_EQ(rd.feed("83,abc"), sr::error::need_more);
    EXPECT_TRUE(rd.records().empty());
    EXPECT_EQ(rd.feed("\n100,\"open"), sr::error::need_more);
    EXPECT_EQ(to_rows(rd.records()), (rows{{"83", "abc"}}));
    EXPECT_EQ(rd.feed("\nstill\""), sr::error::need_more);
    EXPECT_EQ(rd.feed("\n"), rtnotify::error_code());
    EXPECT_EQ(to_rows(rd.records()), (rows{{"83", "abc"}, {"100", "open\nstill"}}));
    EXPECT_EQ(rd.finish(), rtnotify::error_code());
}

TEST(Reader, UnterminatedQuoteAtFinish)
{
    sr::reader rd;
    EXPECT_EQ(rd.feed("1\n2,\"abc"), sr::error::need_more);
    EXPECT_EQ(rd.finish(), sr::error::unterminated_quote);
    EXPECT_EQ(rd.diag().offset, 4u);
    EXPECT_EQ(rd.diag().line, 2u);
    EXPECT_EQ(rd.diag().field, 2u);
    EXPECT_EQ(rd.feed("\"\n"), sr::error::unterminated_quote) << "errors are sticky";
}

TEST(Reader, BufferIsBoundedByRecordLimit)
{
    sr::decode_options opts;
    opts.max_record_size = 16;
    sr::reader rd(opts);
    EXPECT_EQ(rd.feed("ok\n\"0123456789"), sr::error::need_more);
    EXPECT_EQ(rd.feed("0123456789"), sr::error::record_too_large);
    EXPECT_EQ(rd.diag().offset, 3u);
    EXPECT_EQ(rd.diag().line, 2u);
    EXPECT_EQ(to_rows(rd.records()), (rows{{"ok"}}));
}

TEST(Reader, RecordCountIsBoundedUntilTaken)
{
    sr::decode_options opts;
    opts.max_records = 2;
    sr::reader rd(opts);
    EXPECT_FALSE(rd.feed("a\nb\n"));
    EXPECT_EQ(to_rows(rd.take()), (rows{{"a"}, {"b"}}));
    EXPECT_EQ(rd.feed("c\nd\ne\n"), sr::error::too_many_records);
    EXPECT_EQ(rd.diag().line, 5u);
}

TEST(Reader, RecordsOwnTheirBytes)
{
    sr::document doc;
    {
        sr::reader rd;
        std::string chunk = "a,b\nc,\"d\"\"e\"\n";
        rd.feed(chunk);
        chunk.assign(chunk.size(), 'X');
        doc = rd.take();
        EXPECT_TRUE(rd.records().empty());
    }
    EXPECT_EQ(to_rows(doc), (rows{{"a", "b"}, {"c", "d\"e"}}));
}

TEST(Reader, KeepAliveSpacesBeforeFirstRow)
{
    sr::reader rd;
    EXPECT_EQ(rd.feed(" "), sr::error::need_more);
    EXPECT_EQ(rd.feed(" "), sr::error::need_more);
    EXPECT_EQ(rd.feed(" 100,1,foo\n"), rtnotify::error_code());
    EXPECT_EQ(to_rows(rd.records()), (rows{{"100", "1", "foo"}}));
}

} // namespace
