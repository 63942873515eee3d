import { describe, expect, it } from "vitest";
import { MAX_PAGES_PER_LIST } from "../../checks/live/limits.js";
import { pageProblem, planProblem } from "../../checks/live/page-info.js";

const info = (page: number, count: number, total = 9, perPage = 3) => ({
  page,
  per_page: perPage,
  count,
  total_count: total,
  total_pages: Math.ceil(total / perPage),
});

describe("planProblem", () => {
  it("accepts total_pages that agree with total_count and per_page, an empty list either way", () => {
    expect(planProblem(info(1, 3))).toBeUndefined();
    expect(planProblem({ page: 1, per_page: 3, total_count: 0, total_pages: 0 })).toBeUndefined();
    expect(planProblem({ page: 1, per_page: 3, total_count: 0, total_pages: 1 })).toBeUndefined();
  });

  it("refuses total_pages that disagree, and lists beyond the page ceiling", () => {
    expect(planProblem({ ...info(1, 3), total_pages: 4 })).toBe(
      "result_info.total_pages is 4, but total_count 9 at per_page 3 makes 3",
    );
    const huge = MAX_PAGES_PER_LIST * 3 + 1;
    expect(planProblem(info(1, 3, huge))).toMatch(`would take ${MAX_PAGES_PER_LIST + 1} pages`);
    expect(planProblem(info(1, 3, MAX_PAGES_PER_LIST * 3))).toBeUndefined();
  });
});

describe("pageProblem", () => {
  const first = info(1, 3);
  it("accepts full pages and a last page that makes up total_count", () => {
    expect(pageProblem(first, first, 1, 3, 0)).toBeUndefined();
    expect(pageProblem(info(2, 3), first, 2, 3, 3)).toBeUndefined();
    expect(pageProblem(info(3, 3), first, 3, 3, 6)).toBeUndefined();
    const ten = info(1, 3, 10);
    expect(pageProblem(info(4, 1, 10), ten, 4, 1, 9)).toBeUndefined();
  });

  it("names what does not add up", () => {
    expect(pageProblem(info(2, 0), first, 2, 0, 3)).toBe("page 2 of 3 is empty although total_count is 9");
    expect(pageProblem(info(2, 2), first, 2, 2, 3)).toBe(
      "page 2 of 3 holds 2 items where per_page 3 were promised",
    );
    expect(pageProblem(info(3, 2), first, 3, 2, 6)).toBe("read 8 items in 3 pages, but total_count is 9");
    expect(pageProblem(info(1, 3), first, 2, 3, 3)).toBe("asked for page 2, the answer is page 1");
    expect(pageProblem({ ...info(2, 3), count: 5 }, first, 2, 3, 3)).toMatch(/count is 5 on page 2/);
    expect(pageProblem({ ...info(2, 3), per_page: 4 }, first, 2, 3, 3)).toMatch(
      /per_page changed from 3 to 4/,
    );
    expect(pageProblem({ ...info(2, 3), total_pages: 5 }, first, 2, 3, 3)).toMatch(
      /total_pages changed from 3 to 5/,
    );
    expect(pageProblem(info(4, 0), first, 4, 0, 9)).toBe("page 4 is past the last page (total_pages 3)");
    const empty = { page: 1, per_page: 3, count: 0, total_count: 0, total_pages: 0 };
    expect(pageProblem(empty, empty, 1, 0, 0)).toBeUndefined();
  });
});
