// Whose platform this is: the configured government's name and region (GET /org/node), asked once per page load,
// and the titles the portal and the workbench build from it. Nothing in the web code names a government.
import { useEffect, useState } from 'react';
import { api } from './api.ts';
import type { Lang } from './i18n.ts';

export interface NodeInfo {
  name: string;
  nameEn: string;
  regionCode: string;
  level: string;
  region: { code: string; name: string; level: string; parentCode: string | null } | null;
}

let asked: Promise<NodeInfo> | undefined;

export function fetchNode(): Promise<NodeInfo> {
  asked ??= api<NodeInfo>('GET', '/org/node').catch((e: unknown) => {
    asked = undefined; // asked again on the next page that needs it
    throw e;
  });
  return asked;
}

/** The node, once known (undefined while loading or if it could not be read). */
export function useNode(): NodeInfo | undefined {
  const [node, setNode] = useState<NodeInfo | undefined>();
  useEffect(() => {
    let live = true;
    fetchNode()
      .then((n) => live && setNode(n))
      .catch(() => {});
    return () => {
      live = false;
    };
  }, []);
  return node;
}

/** 天津市政务服务 / Tianjin Government Services; while the node is unknown, the product's own name. */
export function portalTitle(lang: Lang, node: NodeInfo | undefined): string {
  if (!node) return lang === 'zh' ? '政务服务' : 'Government Services';
  return lang === 'zh' ? `${node.name}政务服务` : `${node.nameEn} Government Services`;
}

export function portalTagline(lang: Lang, node: NodeInfo | undefined): string {
  if (lang === 'zh') return `${node?.name ?? ''}市民和企业的网上政务服务`;
  return node
    ? `Online government services for citizens and enterprises of ${node.nameEn}`
    : 'Online government services for citizens and enterprises';
}

export type NodeRegion = NonNullable<NodeInfo['region']>;

/** The node's own region first, then the regions directly under it (districts of a city, cities of a province). */
export function useNodeRegions(): NodeRegion[] | undefined {
  const [regions, setRegions] = useState<NodeRegion[] | undefined>();
  useEffect(() => {
    let live = true;
    fetchNode()
      .then(async (n) => {
        const below = await api<NodeRegion[]>('GET', `/org/regions?parent=${encodeURIComponent(n.regionCode)}`);
        const own = n.region ?? { code: n.regionCode, name: n.name, level: n.level, parentCode: null };
        if (live) setRegions([own, ...below]);
      })
      .catch(() => live && setRegions([]));
    return () => {
      live = false;
    };
  }, []);
  return regions;
}
