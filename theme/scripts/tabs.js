// Content tabs (tabs.css styles them): loaded only by pages that show tabs, after the HTML.
import { initTabs } from "./lib/tabs.js";

initTabs(document);
